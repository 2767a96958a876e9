import fc from 'fast-check';
import { nastyString, pathSegment } from './arbitraries';
import type { Seed } from './harness';

/** One route of the API as the fuzzer sees it: where it is, and what a valid request looks like. */
export interface RouteSpec {
  name: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  /** the path, given a value for its parameter (if it has one) */
  path: (param: string) => string;
  /** values for the path parameter: real ones from the seed and random ones */
  param?: fc.Arbitrary<string>;
  /** valid bodies (JSON routes) */
  body?: fc.Arbitrary<Record<string, unknown>>;
  /** the query parameters the route knows */
  query?: readonly string[];
}

const token = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,40}$/);
const rcId = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
const plain = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => !/\p{Cc}/u.test(s));
const email = fc.constantFrom('maria@example.com', 'a.b+c@example.org', 'x@y.io');
/** fc.record with every key optional except `required`, dropping absent ones */
const recordOf = (shape: Record<string, fc.Arbitrary<unknown>>, required: string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(shape, { requiredKeys: required as never[] }) as fc.Arbitrary<Record<string, unknown>>;

export function routes(seed: Seed): RouteSpec[] {
  const roomId = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(seed.roomId, seed.rocketchatRoomId) }, { weight: 2, arbitrary: pathSegment });
  const visitorToken = fc.oneof({ weight: 2, arbitrary: fc.constant(seed.visitorToken) }, { weight: 1, arbitrary: token }, { weight: 1, arbitrary: pathSegment });
  const keyId = fc.oneof(fc.constant(seed.spareKeyId), pathSegment);
  return [
    {
      name: 'POST /v1/api-keys',
      method: 'POST',
      path: () => '/v1/api-keys',
      body: fc.record({ name: plain(100), scopes: fc.subarray(['chat:write', 'transcripts:read', 'admin'], { minLength: 1 }) }),
    },
    { name: 'GET /v1/api-keys', method: 'GET', path: () => '/v1/api-keys', query: [] },
    { name: 'DELETE /v1/api-keys/:id', method: 'DELETE', path: (id) => `/v1/api-keys/${id}`, param: keyId },
    {
      name: 'POST /v1/visitors',
      method: 'POST',
      path: () => '/v1/visitors',
      body: recordOf(
        {
          token: fc.oneof(fc.constant(seed.visitorToken), token),
          name: plain(255),
          email,
          phone: fc.stringMatching(/^\+?[0-9][0-9 ()-]{2,29}$/),
          department: rcId,
          username: fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/),
          customFields: fc.array(fc.record({ key: fc.constantFrom('plan', 'address', 'unknown_field'), value: fc.string({ maxLength: 50 }), overwrite: fc.boolean() }), { maxLength: 3 }),
        },
        ['token'],
      ),
    },
    { name: 'GET /v1/visitors', method: 'GET', path: () => '/v1/visitors', query: ['email', 'phone', 'updatedSince', 'limit', 'cursor'] },
    { name: 'GET /v1/visitors/:token', method: 'GET', path: (t) => `/v1/visitors/${t}`, param: visitorToken, query: [] },
    { name: 'DELETE /v1/visitors/:token', method: 'DELETE', path: (t) => `/v1/visitors/${t}`, param: visitorToken },
    {
      name: 'POST /v1/visitors/:token/sessions',
      method: 'POST',
      path: (t) => `/v1/visitors/${t}/sessions`,
      param: visitorToken,
      body: recordOf({ ttlSeconds: fc.integer({ min: 60, max: 900 }), maxAgeSeconds: fc.integer({ min: 900, max: 2_592_000 }) }, []),
    },
    { name: 'DELETE /v1/visitors/:token/sessions', method: 'DELETE', path: (t) => `/v1/visitors/${t}/sessions`, param: visitorToken },
    {
      name: 'POST /v1/visitors/:token/stream-tokens',
      method: 'POST',
      path: (t) => `/v1/visitors/${t}/stream-tokens`,
      param: visitorToken,
      body: recordOf({ ttlSeconds: fc.integer({ min: 60, max: 86400 }) }, []),
    },
    { name: 'POST /v1/sessions/refresh', method: 'POST', path: () => '/v1/sessions/refresh' },
    { name: 'DELETE /v1/sessions/current', method: 'DELETE', path: () => '/v1/sessions/current' },
    {
      name: 'POST /v1/rooms',
      method: 'POST',
      path: () => '/v1/rooms',
      body: recordOf({ visitorToken: fc.oneof(fc.constant(seed.visitorToken), token), departmentId: rcId, agentId: rcId }, ['visitorToken']),
    },
    {
      name: 'GET /v1/rooms',
      method: 'GET',
      path: () => '/v1/rooms',
      query: ['status', 'visitorToken', 'agentId', 'departmentId', 'openedFrom', 'openedTo', 'closedFrom', 'closedTo', 'limit', 'cursor'],
    },
    { name: 'GET /v1/rooms/:id', method: 'GET', path: (id) => `/v1/rooms/${id}`, param: roomId, query: [] },
    {
      name: 'POST /v1/rooms/:id/messages',
      method: 'POST',
      path: (id) => `/v1/rooms/${id}/messages`,
      param: roomId,
      body: recordOf(
        {
          text: fc.oneof(plain(200), nastyString.filter((s) => s.length >= 1 && s.length <= 5000)),
          attachments: fc.array(recordOf({ url: fc.webUrl(), title: plain(50) }, ['url']), { maxLength: 3 }),
        },
        ['text'],
      ),
    },
    {
      // the room is the seed's; the parameter fuzzed is the message id
      name: 'PATCH /v1/rooms/:id/messages/:messageId',
      method: 'PATCH',
      path: (messageId) => `/v1/rooms/${seed.roomId}/messages/${messageId}`,
      param: fc.oneof(fc.uuid(), pathSegment),
      body: recordOf({ text: fc.oneof(plain(200), nastyString.filter((s) => s.length >= 1 && s.length <= 5000)) }, ['text']),
    },
    {
      name: 'DELETE /v1/rooms/:id/messages/:messageId',
      method: 'DELETE',
      path: (messageId) => `/v1/rooms/${seed.roomId}/messages/${messageId}`,
      param: fc.oneof(fc.uuid(), pathSegment),
    },
    { name: 'GET /v1/rooms/:id/messages', method: 'GET', path: (id) => `/v1/rooms/${id}/messages`, param: roomId, query: ['after', 'limit', 'cursor'] },
    {
      name: 'POST /v1/rooms/:id/survey',
      method: 'POST',
      path: (id) => `/v1/rooms/${id}/survey`,
      param: roomId,
      body: recordOf(
        {
          rating: fc.integer({ min: 1, max: 5 }),
          comment: fc.oneof(plain(200), nastyString.filter((s) => s.length <= 2000)),
          agentKnowledge: fc.integer({ min: 1, max: 5 }),
          agentResponsiveness: fc.integer({ min: 1, max: 5 }),
          agentFriendliness: fc.integer({ min: 1, max: 5 }),
        },
        ['rating'],
      ),
    },
    {
      name: 'POST /v1/rooms/:id/transfer',
      method: 'POST',
      path: (id) => `/v1/rooms/${id}/transfer`,
      param: roomId,
      body: fc.oneof(fc.record({ departmentId: rcId }), fc.record({ agentId: rcId })),
    },
    {
      name: 'POST /v1/offline-messages',
      method: 'POST',
      path: () => '/v1/offline-messages',
      body: recordOf({ name: plain(255), email, message: plain(300), department: rcId }, ['name', 'email', 'message']),
    },
    {
      name: 'GET /v1/transcripts',
      method: 'GET',
      path: () => '/v1/transcripts',
      query: ['q', 'from', 'to', 'agentId', 'departmentId', 'visitorToken', 'status', 'tag', 'limit', 'cursor'],
    },
    { name: 'GET /v1/transcripts/:roomId', method: 'GET', path: (id) => `/v1/transcripts/${id}`, param: roomId, query: ['format'] },
    { name: 'GET /v1/exports/messages', method: 'GET', path: () => '/v1/exports/messages', query: ['from', 'to', 'format'] },
    { name: 'GET /v1/exports/rooms', method: 'GET', path: () => '/v1/exports/rooms', query: ['from', 'to', 'format'] },
    { name: 'GET /v1/metrics/rooms', method: 'GET', path: () => '/v1/metrics/rooms', query: ['from', 'to', 'groupBy', 'limit', 'cursor'] },
    { name: 'GET /health/live', method: 'GET', path: () => '/health/live', query: [] },
    { name: 'GET /health/ready', method: 'GET', path: () => '/health/ready', query: [] },
    { name: 'GET /metrics', method: 'GET', path: () => '/metrics', query: [] },
    { name: 'GET /docs-json', method: 'GET', path: () => '/docs-json', query: [] },
    // last: a valid close changes the seeded room for good
    {
      name: 'POST /v1/rooms/:id/close',
      method: 'POST',
      path: (id) => `/v1/rooms/${id}/close`,
      param: roomId,
      body: recordOf({ comment: plain(1000) }, []),
    },
  ];
}
