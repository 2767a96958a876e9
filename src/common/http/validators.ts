import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Visitor tokens travel in URL paths and headers: a conservative charset. */
export const TOKEN_PATTERN = /^[A-Za-z0-9._:@-]{1,200}$/;
export const ROCKETCHAT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** omnigate's own ids (rooms, messages, visitors): UUIDs, any case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const IsVisitorToken = (): PropertyDecorator =>
  applyDecorators(IsString(), Matches(TOKEN_PATTERN, { message: '$property must be 1-200 characters of A-Z a-z 0-9 . _ : @ -' }));

export const IsRocketChatId = (): PropertyDecorator =>
  applyDecorators(IsString(), Matches(ROCKETCHAT_ID_PATTERN, { message: '$property must be 1-64 characters of A-Z a-z 0-9 _ -' }));

/** Human text on one line: no control characters. */
export const IsPlainText = (max: number, min = 1): PropertyDecorator =>
  applyDecorators(
    IsString(),
    MinLength(min),
    MaxLength(max),
    Matches(/^[^\p{Cc}]*$/u, { message: '$property must not contain control characters' }),
  );
