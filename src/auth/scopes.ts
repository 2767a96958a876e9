export const SCOPES = ['chat:write', 'transcripts:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** `admin` may call every route; other scopes grant only themselves. */
export function grants(held: readonly string[], required: readonly Scope[]): boolean {
  return held.includes('admin') || required.every((s) => held.includes(s));
}
