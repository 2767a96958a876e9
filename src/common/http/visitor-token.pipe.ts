import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-errors';
import { TOKEN_PATTERN } from './validators';

/** `:token` path parameters follow the same charset as tokens in bodies. */
@Injectable()
export class VisitorTokenPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!TOKEN_PATTERN.test(value)) {
      throw new ValidationFailedError([{ field: 'token', errors: ['token must be 1-200 characters of A-Z a-z 0-9 . _ : @ -'] }]);
    }
    return value;
  }
}
