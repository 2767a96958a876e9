/**
 * Which Rocket.Chat omnigate talks to, and what that means for the calls it makes. Only
 * src/rocketchat/ reads a version: feature code asks the client to do something and the client
 * picks the endpoint (CONTRACT-NOTES.md, "Per-version table").
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** `8.8.1`, `7.10`, `9.0.0-rc.2`, `8.8.1-sim`: a pre-release or build suffix is ignored. */
export function parseVersion(text: string | undefined): Version | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function atLeast(v: Version, major: number, minor = 0, patch = 0): boolean {
  return compareVersions(v, { major, minor, patch }) >= 0;
}

/** How a visitor's room moves to another department. */
export type DepartmentTransfer = 'room.transfer' | 'visitor/department.transfer';

export interface RocketChatFeatures {
  /** 7.x: `livechat/room.transfer` (answers the room); 8.0 removed it for `livechat/visitor/department.transfer` (answers `{success}` only) */
  departmentTransfer: DepartmentTransfer;
}

/**
 * The newest behaviour is assumed while the version is unknown (Rocket.Chat unreachable at
 * start-up): 8.x is what new installations run.
 */
export function featuresOf(version: Version | undefined): RocketChatFeatures {
  const modern = !version || atLeast(version, 8);
  return { departmentTransfer: modern ? 'visitor/department.transfer' : 'room.transfer' };
}
