import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-errors';

/** `:id` must be a UUID; anything else is a 400 in the shared shape rather than a database error. */
export const uuidParam = (name = 'id'): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new ValidationFailedError([{ field: name, errors: [`${name} must be a UUID`] }]) });
