import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { VisitorEntity } from './visitor.entity';

/** What omnigate learnt about a visitor, from Rocket.Chat's answers or its webhook. */
export interface VisitorFacts {
  token: string;
  rocketchatId?: string | null;
  username?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  department?: string | null;
  customFields?: Record<string, string>;
}

/** Persistence rules for visitors, inside the caller's transaction. */
@Injectable()
export class VisitorStore {
  /**
   * Inserts or updates by token; fields not given keep their value. An erased visitor (GDPR) keeps
   * its erased fields even if an old event still carries them.
   */
  async upsert(em: EntityManager, facts: VisitorFacts): Promise<{ visitor: VisitorEntity; created: boolean }> {
    const rows: Array<{ id: string; created: boolean }> = await em.query(
      `INSERT INTO visitors AS v (token, rocketchat_id, username, name, email, phone, department, custom_fields)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8::jsonb, '{}'::jsonb))
       ON CONFLICT (token) DO UPDATE SET
         rocketchat_id = COALESCE(EXCLUDED.rocketchat_id, v.rocketchat_id),
         username      = COALESCE(EXCLUDED.username, v.username),
         name          = CASE WHEN v.erased_at IS NULL THEN COALESCE($4, v.name) ELSE v.name END,
         email         = CASE WHEN v.erased_at IS NULL THEN COALESCE($5, v.email) ELSE v.email END,
         phone         = CASE WHEN v.erased_at IS NULL THEN COALESCE($6, v.phone) ELSE v.phone END,
         department    = COALESCE($7, v.department),
         custom_fields = CASE WHEN v.erased_at IS NULL THEN v.custom_fields || COALESCE($8::jsonb, '{}'::jsonb) ELSE v.custom_fields END,
         updated_at    = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        facts.token,
        facts.rocketchatId ?? null,
        facts.username ?? null,
        facts.name ?? null,
        facts.email ?? null,
        facts.phone ?? null,
        facts.department ?? null,
        facts.customFields ? JSON.stringify(facts.customFields) : null,
      ],
    );
    const visitor = await em.getRepository(VisitorEntity).findOneByOrFail({ id: rows[0]!.id });
    return { visitor, created: rows[0]!.created };
  }

  /** The visitor id for a token, inserting a bare row when omnigate has never seen it. */
  async idForToken(em: EntityManager, facts: VisitorFacts): Promise<string> {
    const existing: Array<{ id: string }> = await em.query('SELECT id FROM visitors WHERE token = $1', [facts.token]);
    if (existing[0]) return existing[0].id;
    return (await this.upsert(em, facts)).visitor.id;
  }
}
