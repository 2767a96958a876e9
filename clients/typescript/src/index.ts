import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };

/** The API's own names for its bodies: `Schema<'MessageDto'>`, `Schema<'ErrorResponseDto'>`, ... */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type OmnigateClient = Client<paths>;

/**
 * A typed client of omnigate's REST API: every path, parameter, body and answer typed from the
 * committed openapi.json (openapi-typescript); requests made with openapi-fetch (the platform's
 * fetch). `apiKey` is an API key (`og_...`); a visitor session token works on the routes that take one.
 *
 *   const og = createOmnigateClient({ baseUrl: 'http://localhost:3000', apiKey: process.env.OMNIGATE_KEY! });
 *   const { data, error, response } = await og.POST('/v1/rooms', { body: { visitorToken: 'visitor-1' } });
 */
export function createOmnigateClient(options: { baseUrl: string; apiKey: string } & Omit<ClientOptions, 'baseUrl'>): OmnigateClient {
  const { apiKey, headers, ...rest } = options;
  return createClient<paths>({ ...rest, headers: { Authorization: `Bearer ${apiKey}`, ...(headers as Record<string, string> | undefined) } });
}
