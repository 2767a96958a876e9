/** The newest 8.x with published typings (`@rocket.chat/rest-typings` 8.8.1): what the simulator plays by default. */
export const SIM_DEFAULT_VERSION = '8.8.1';

/** major.minor.patch as numbers; a pre-release or build suffix (`-rc.1`, `+sim`) is ignored. */
export function parseVersion(version: string): [number, number, number] {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(version.trim());
  if (!match) throw new Error(`not a Rocket.Chat version: "${version}" (want major.minor.patch)`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** < 0 when a is older than b, 0 when equal, > 0 when newer. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

export const atLeast = (version: string, minimum: string): boolean => compareVersions(version, minimum) >= 0;
