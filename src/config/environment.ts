import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An integer variable within [min, max]; `message` says the range (and unit) in the error line. */
function IntRange(min: number, max: number, message: string): PropertyDecorator {
  return applyDecorators(Transform(toInt), IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The environment omnigate reads, one property per variable. Every variable is documented in the
 * README's configuration table; a test checks that docker-compose.yml only sets variables declared here.
 */
export class Environment {
  // Every property has an initialiser (even `= undefined`) so that Object.keys lists all variables.
  @IntRange(0, 65535, 'must be an integer between 0 and 65535')
  PORT: number = 8080;

  @IsString()
  @MinLength(1)
  HOST: string = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/, {
    message: 'must be * or a comma-separated list of origins like https://chat.example.com',
  })
  CORS_ORIGINS?: string = undefined;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string = undefined;

  @IsString()
  @MinLength(1)
  DATA_DIR: string = './.data';

  @IntRange(1, 200, 'must be an integer between 1 and 200')
  DATABASE_POOL_SIZE: number = 10;

  @Transform(toBool)
  @IsIn([true, false], { message: 'must be true or false' })
  DATABASE_RUN_MIGRATIONS: boolean = true;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  ROCKETCHAT_URL: string = 'http://localhost:3000';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ROCKETCHAT_USER_ID?: string = undefined;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ROCKETCHAT_AUTH_TOKEN?: string = undefined;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters long' })
  ROCKETCHAT_WEBHOOK_TOKEN?: string = undefined;

  @IntRange(100, 120000, 'must be an integer between 100 and 120000 (milliseconds)')
  ROCKETCHAT_TIMEOUT_MS: number = 5000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{1,3}\.\d{1,3}(\.\d{1,5})?$/, { message: 'must be a Rocket.Chat version like 8.8.1 or 7.10.3' })
  ROCKETCHAT_VERSION?: string = undefined;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters long' })
  @MaxLength(200, { message: 'must be at most 200 characters long' })
  OMNIGATE_ADMIN_KEY?: string = undefined;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IntRange(10, 3600000, 'must be an integer between 10 and 3600000 (milliseconds)')
  DELIVERY_RETRY_BASE_MS: number = 1000;

  @IntRange(100, 86400000, 'must be an integer between 100 and 86400000 (milliseconds)')
  DELIVERY_RETRY_MAX_MS: number = 60000;

  @IntRange(0, 86400000, 'must be 0 (off) or an integer between 1000 and 86400000 (milliseconds)')
  RECONCILE_INTERVAL_MS: number = 60000;

  @IntRange(1024, 104857600, 'must be an integer between 1024 and 104857600 (bytes)')
  BODY_LIMIT_BYTES: number = 1048576;

  @IntRange(100, 300000, 'must be an integer between 100 and 300000 (milliseconds)')
  SSE_HEARTBEAT_MS: number = 15000;

  @IntRange(100, 120000, 'must be an integer between 100 and 120000 (milliseconds)')
  CALLBACK_TIMEOUT_MS: number = 10000;

  @IntRange(10, 3600000, 'must be an integer between 10 and 3600000 (milliseconds)')
  CALLBACK_RETRY_BASE_MS: number = 10000;

  @IntRange(100, 86400000, 'must be an integer between 100 and 86400000 (milliseconds)')
  CALLBACK_RETRY_MAX_MS: number = 3600000;

  @IntRange(1000, 604800000, 'must be an integer between 1000 and 604800000 (milliseconds)')
  CALLBACK_MAX_AGE_MS: number = 86400000;

  @IntRange(1, 1000, 'must be an integer between 1 and 1000')
  CALLBACK_DISABLE_AFTER_FAILURES: number = 10;

  @IntRange(50, 60000, 'must be an integer between 50 and 60000 (milliseconds)')
  CALLBACK_POLL_INTERVAL_MS: number = 1000;

  @Transform(toBool)
  @IsIn([true, false], { message: 'must be true or false' })
  CALLBACK_ALLOW_PRIVATE_NETWORKS: boolean = false;

  @IntRange(1024, 104857600, 'must be an integer between 1024 and 104857600 (bytes)')
  UPLOAD_LIMIT_BYTES: number = 10485760;

  @Matches(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, {
    message: 'must be the name of a PostgreSQL text search configuration, like simple, english or german',
  })
  SEARCH_LANGUAGE: string = 'simple';
}
