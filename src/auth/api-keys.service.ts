import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { NotFoundError } from '../common/errors/domain-errors';
import { generateSecret, hashSecret, secretPrefix } from './api-key-secret';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { SCOPES } from './scopes';
import type { SessionClaims } from '../sessions/visitor-session-tokens';

/**
 * Who calls: an API key, or a visitor session (then `keyId` is the visitor's id, the scope of its
 * Idempotency-Keys, and `session` its token's claims: the guard has checked what it may reach).
 */
export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly string[];
  session?: SessionClaims;
}

interface CachedKey {
  principal: Principal | null;
  expiresAt: number;
}

/** How long an authentication result is reused; a revocation on another instance takes effect within it. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
/** last_used_at is refreshed at most this often per key, to keep authentication read-only on the hot path. */
const LAST_USED_RESOLUTION_MS = 60_000;
const BOOTSTRAP_LOCK = 0x6f6d6e6b;

function toDto(e: ApiKeyEntity): ApiKeyDto {
  return {
    id: e.id,
    name: e.name,
    scopes: e.scopes,
    prefix: e.secretPrefix,
    createdAt: e.createdAt.toISOString(),
    lastUsedAt: e.lastUsedAt?.toISOString() ?? null,
    revokedAt: e.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  private generated: string | undefined;

  async onApplicationBootstrap(): Promise<void> {
    this.generated = await this.bootstrapAdminKey();
  }

  /**
   * The admin key created at this start because none existed, once: whoever started the gateway
   * shows it (`npm start` prints it on stdout, the sandbox in its banner), never the log.
   */
  takeGeneratedAdminKey(): string | undefined {
    const secret = this.generated;
    this.generated = undefined;
    return secret;
  }

  /** Returns the generated secret when one had to be created (and must be shown), else undefined. */
  async bootstrapAdminKey(): Promise<string | undefined> {
    return this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const repo = em.getRepository(ApiKeyEntity);
      if (this.config.adminKey) {
        const hash = hashSecret(this.config.adminKey);
        const existing = await repo.findOneBy({ secretHash: hash });
        if (!existing) {
          await repo.insert({ name: 'bootstrap-admin', secretHash: hash, secretPrefix: secretPrefix(this.config.adminKey), scopes: [...SCOPES] });
          this.logger.log('registered the admin key from OMNIGATE_ADMIN_KEY');
        } else if (existing.revokedAt) {
          this.logger.warn('OMNIGATE_ADMIN_KEY names a revoked key; it stays revoked');
        }
        return undefined;
      }
      if ((await repo.count()) > 0) return undefined;
      const secret = generateSecret();
      await repo.insert({ name: 'generated-admin', secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), scopes: [...SCOPES] });
      return secret;
    });
  }

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const secret = generateSecret();
    const saved = await this.keys.save(
      this.keys.create({ name: dto.name, scopes: dto.scopes, secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret) }),
    );
    return { ...toDto(saved), secret };
  }

  async list(): Promise<ApiKeyDto[]> {
    return (await this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(toDto);
  }

  async revoke(id: string): Promise<ApiKeyDto> {
    const key = await this.keys.findOneBy({ id });
    if (!key) throw new NotFoundError(`API key ${id} does not exist`);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: key.revokedAt });
    }
    this.cache.delete(key.secretHash);
    return toDto(key);
  }

  /** The principal of a presented secret, or null when the secret is unknown or revoked. */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashSecret(secret);
    const now = Date.now();
    const cached = this.cache.get(hash);
    let principal: Principal | null;
    if (cached && cached.expiresAt > now) {
      principal = cached.principal;
    } else {
      const key = await this.keys.findOneBy({ secretHash: hash });
      principal = key && !key.revokedAt ? { keyId: key.id, name: key.name, scopes: key.scopes } : null;
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(hash, { principal, expiresAt: now + CACHE_TTL_MS });
    }
    if (principal) this.touch(principal.keyId, now);
    return principal;
  }

  private touch(keyId: string, now: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.keys.update({ id: keyId }, { lastUsedAt: new Date(now) }).catch((error: unknown) => {
      this.lastUsedWritten.delete(keyId);
      this.logger.warn(`could not record last use of API key ${keyId}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
