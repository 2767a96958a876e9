/**
 * Rocket.Chat puts UAParser's "<name> <version>" of the visitor's user agent in webhooks as `os` and
 * `browser`, or leaves them out when the parser finds nothing (e.g. for a server-side HTTP client).
 * This covers the common browsers and systems, enough for realistic payloads.
 */
export function describeUserAgent(ua: string | undefined): { os?: string; browser?: string } {
  if (!ua) return {};
  return { os: operatingSystem(ua), browser: browser(ua) };
}

function operatingSystem(ua: string): string | undefined {
  const android = /Android ([\d.]+)/.exec(ua);
  if (android) return `Android ${android[1]}`;
  const ios = /(?:iPhone|iPad|iPod).*? OS ([\d_]+)/.exec(ua);
  if (ios) return `iOS ${ios[1]!.replace(/_/g, '.')}`;
  const windows = /Windows NT ([\d.]+)/.exec(ua);
  if (windows) return `Windows ${windows[1] === '10.0' ? '10' : windows[1]}`;
  const mac = /Mac OS X ([\d_.]+)/.exec(ua);
  if (mac) return `Mac OS ${mac[1]!.replace(/_/g, '.')}`;
  if (/Linux/.test(ua)) return 'Linux undefined';
  return undefined;
}

function browser(ua: string): string | undefined {
  const patterns: [RegExp, string][] = [
    [/Edg\/([\d.]+)/, 'Edge'],
    [/Firefox\/([\d.]+)/, 'Firefox'],
    [/Chrome\/([\d.]+)/, 'Chrome'],
    [/Version\/([\d.]+).*Safari\//, 'Safari'],
  ];
  for (const [pattern, name] of patterns) {
    const m = pattern.exec(ua);
    if (m) return `${name} ${m[1]}`;
  }
  return undefined;
}
