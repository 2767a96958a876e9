import { RestError } from './errors';
import type { VersionProfile } from './profile';
import type { RequestContext } from './router';
import type { ApiUser } from './types';

export const DEFAULT_API_USERS: ApiUser[] = [{ userId: 'sim-api-user', authToken: 'sim-api-token', username: 'sim.api' }];

/** Routes declared `authRequired: true`: ApiClass checks the login before the rate limiter and the schema. */
export const AUTH_ROUTES: ReadonlySet<string> = new Set(['POST livechat/room.forward', 'GET livechat/department']);

function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** ApiClass.ts `authenticatedRoute`: X-User-Id and X-Auth-Token must name one user's login token. */
export function authenticate(ctx: RequestContext, users: readonly ApiUser[]): ApiUser | undefined {
  const userId = header(ctx, 'x-user-id');
  const authToken = header(ctx, 'x-auth-token');
  if (!userId || !authToken) return undefined;
  return users.find((u) => u.userId === userId && u.authToken === authToken);
}

/**
 * ApiClass.ts `addRoute` wrapper: `unauthorized('You must be logged in to do this.')`; before 8.0
 * (`applyBreakingChanges` off) the old API's `status`/`message` pair is added.
 */
export function notLoggedIn(profile: VersionProfile): RestError {
  const error = 'You must be logged in to do this.';
  return new RestError(401, profile.breakingChanges ? { success: false, error } : { success: false, error, status: 'error', message: error });
}

/**
 * ApiClass.ts `permissionsRequired`: 403 with Meteor.Error('error-forbidden', …) from 8.0,
 * 'error-unauthorized' before (both answered through `forbidden(e.message)`).
 */
export function requirePermissions(user: ApiUser, permissions: string[], mode: 'all' | 'any', profile: VersionProfile): void {
  if (!user.permissions) return;
  const has = (p: string): boolean => user.permissions!.includes(p);
  if (mode === 'all' ? permissions.every(has) : permissions.some(has)) return;
  const code = profile.breakingChanges ? 'error-forbidden' : 'error-unauthorized';
  throw new RestError(403, { success: false, error: `User does not have the permissions required for this action [${code}]` });
}
