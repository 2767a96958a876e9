import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors/http-exception.filter';

/** Routes that take a multipart form; every other route with a body takes JSON only. */
const MULTIPART_ROUTES = new Set(['/v1/rooms/:id/files']);

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/;

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Refuses a body of the wrong type with 415 before it is parsed, so nothing is read or written:
 * curl's default `application/x-www-form-urlencoded` would otherwise be parsed as a form and fail
 * strangely. JSON routes take `application/json` and `application/*+json`; the files route
 * `multipart/form-data`.
 */
export function contentTypeHook(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (!hasBody(request) || request.method === 'GET' || request.method === 'HEAD') return done();
  const route = request.routeOptions.url;
  if (route === undefined) return done(); // unknown route: answered 404
  const type = mediaType(request.headers['content-type']);
  const multipart = MULTIPART_ROUTES.has(route);
  const accepted = multipart ? type === 'multipart/form-data' : type !== undefined && JSON_TYPE.test(type);
  if (accepted) return done();
  const expected = multipart ? 'multipart/form-data' : 'application/json';
  void reply
    .status(415)
    .header('accept', expected)
    .send(errorBody(415, `Content-Type must be ${expected} (got ${type ?? 'none'})`, { expected, received: type ?? null }));
}
