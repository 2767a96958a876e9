import type { WebhookRetryRule } from './types';
import { atLeast, parseVersion } from './version';

/** How the webhook sender of one Rocket.Chat version behaves when a test does not say otherwise. */
export interface WebhookProfile {
  maxAttempts: number;
  retryOn: WebhookRetryRule;
  awaitFirstAttempt: boolean;
}

/** What the simulator does differently by Rocket.Chat version (see README, "Versions"). */
export interface VersionProfile {
  version: string;
  /** POST livechat/room.transfer: removed in 8.0 (PR #36871). */
  roomTransfer: boolean;
  /** POST livechat/visitor/department.transfer: added in 8.0 as its replacement. */
  departmentTransfer: boolean;
  /** ApiClass.ts `applyBreakingChanges = semver.gte(Info.version, '8.0.0')`: the 403 text. */
  breakingChanges: boolean;
  /** 8.x serves the API through Hono (api/server/router.ts + honoAdapter.ts): an unknown route is Hono's text 404. */
  honoNotFound: boolean;
  /** A unique index allows one open room per visitor token from 8.3 (PR #39087). */
  oneOpenRoomPerToken: boolean;
  /** CVE-2026-48616 fixed (PR #40889): a visitor's file download must name the file's own room. */
  fileRoomCheck: boolean;
  webhook: WebhookProfile;
}

/** PR #40889's releases: 7.10.13, 7.13.9, 8.0.7, 8.1.6, 8.2.6, 8.3.6, 8.4.4, 8.5.1 and later lines. */
const FILE_ROOM_CHECK_FIXES = ['7.10.13', '7.13.9', '8.0.7', '8.1.6', '8.2.6', '8.3.6', '8.4.4', '8.5.1'];

function fixesFileRoomCheck(version: string): boolean {
  const [major, minor] = parseVersion(version);
  const line = FILE_ROOM_CHECK_FIXES.find((fix) => {
    const [fMajor, fMinor] = parseVersion(fix);
    return fMajor === major && fMinor === minor;
  });
  if (line) return atLeast(version, line);
  // a line without a backport (7.11, 7.12) stays vulnerable; anything after 8.5 has the fix
  return atLeast(version, '8.5.1');
}

/**
 * PR #36793 (7.11.0, backported to 7.10.4) rewrote `sendRequest` in lib/webhooks.ts: 5 attempts,
 * retry only `status >= 500 || status === 429` and network errors, and `void` (not awaited) sends.
 */
function webhookProfile(version: string): WebhookProfile {
  const [major, minor] = parseVersion(version);
  const rewritten = atLeast(version, '7.11.0') || (major === 7 && minor === 10 && atLeast(version, '7.10.4'));
  return rewritten ? { maxAttempts: 5, retryOn: 'transient', awaitFirstAttempt: false } : { maxAttempts: 10, retryOn: 'any-non-200', awaitFirstAttempt: true };
}

export function versionProfile(version: string): VersionProfile {
  const eight = atLeast(version, '8.0.0');
  return {
    version,
    roomTransfer: !eight,
    departmentTransfer: eight,
    breakingChanges: eight,
    honoNotFound: eight,
    oneOpenRoomPerToken: atLeast(version, '8.3.0'),
    fileRoomCheck: fixesFileRoomCheck(version),
    webhook: webhookProfile(version),
  };
}
