import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { FieldError, ValidationFailedError } from '../errors/domain-errors';

/** Deeper than any request omnigate defines; deeper input only exists to exhaust the stack. */
const MAX_DEPTH = 32;

function problem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  // a lone UTF-16 surrogate cannot be stored as UTF-8 (PostgreSQL text, jsonb) nor sent on
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
}

function inspect(value: unknown, path: string, depth: number, out: FieldError[]): void {
  if (out.length >= 10) return;
  if (typeof value === 'string') {
    const reason = problem(value);
    if (reason) out.push({ field: path || 'value', errors: [`${path || 'value'} ${reason}`] });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DEPTH) {
    out.push({ field: path || 'body', errors: [`${path || 'body'} is nested deeper than ${MAX_DEPTH} levels`] });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const keyProblem = problem(key);
    const at = path ? `${path}.${key}` : key;
    if (keyProblem) out.push({ field: at, errors: [`field names ${keyProblem}`] });
    else inspect(child, at, depth + 1, out);
  }
}

/**
 * Runs before validation on every typed parameter (body DTOs, query DTOs, path parameters): text
 * PostgreSQL cannot store (NUL, lone surrogates) and absurd nesting (which would overflow the
 * transformer's recursion) are a 400, not a 500. Untyped bodies (the Rocket.Chat webhook, which
 * cleans its input itself rather than lose an event to a 4xx) pass through.
 */
@Injectable()
export class InputSanityPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!metadata.metatype || metadata.metatype === Object) return value;
    const problems: FieldError[] = [];
    inspect(value, metadata.type === 'param' || metadata.type === 'query' ? (metadata.data ?? '') : '', 0, problems);
    if (problems.length) throw new ValidationFailedError(problems);
    return value;
  }
}
