import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visitors, rooms, messages, room lifecycle events, webhook deliveries, offline messages and
 * idempotency keys. Index names say which query they serve.
 */
export class CreateConversationStore1764547200000 implements MigrationInterface {
  name = 'CreateConversationStore1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visitors (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token         varchar(200) NOT NULL,
        rocketchat_id varchar(64),
        username      varchar(100),
        name          varchar(255),
        email         varchar(320),
        phone         varchar(50),
        department    varchar(64),
        custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
        erased_at     timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX visitors_token_key ON visitors (token)`);
    await q.query(`CREATE INDEX visitors_by_email ON visitors (lower(email)) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX visitors_by_phone ON visitors (phone) WHERE phone IS NOT NULL`);
    // GET /v1/visitors?updatedSince=...: keyset pagination on (updated_at, id)
    await q.query(`CREATE INDEX visitors_by_updated ON visitors (updated_at, id)`);

    await q.query(`
      CREATE TABLE rooms (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rocketchat_room_id varchar(64) NOT NULL,
        visitor_id         uuid NOT NULL REFERENCES visitors (id),
        status             varchar(10) NOT NULL CHECK (status IN ('queued', 'open', 'closed')),
        agent_id           varchar(64),
        agent_username     varchar(100),
        agent_name         varchar(255),
        department_id      varchar(64),
        opened_at          timestamptz NOT NULL,
        queued_at          timestamptz,
        served_at          timestamptz,
        closed_at          timestamptz,
        closed_by          varchar(10) CHECK (closed_by IN ('visitor', 'agent', 'system')),
        closer_id          varchar(64),
        closer_username    varchar(100),
        close_comment      text,
        tags               text[] NOT NULL DEFAULT '{}',
        last_message_at    timestamptz,
        message_count      integer NOT NULL DEFAULT 0,
        -- time of the newest lifecycle event applied: older events never roll the room back
        state_at           timestamptz NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX rooms_rocketchat_room_id_key ON rooms (rocketchat_room_id)`);
    // POST /v1/rooms: the visitor's open room
    await q.query(`CREATE INDEX rooms_open_by_visitor ON rooms (visitor_id) WHERE status <> 'closed'`);
    // GET /v1/rooms and the visitor's rooms: newest first, keyset on (opened_at, id)
    await q.query(`CREATE INDEX rooms_by_opened ON rooms (opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX rooms_by_visitor_opened ON rooms (visitor_id, opened_at DESC)`);
    await q.query(`CREATE INDEX rooms_by_agent_opened ON rooms (agent_id, opened_at DESC) WHERE agent_id IS NOT NULL`);
    await q.query(`CREATE INDEX rooms_by_department_opened ON rooms (department_id, opened_at DESC) WHERE department_id IS NOT NULL`);
    await q.query(`CREATE INDEX rooms_by_closed ON rooms (closed_at DESC) WHERE closed_at IS NOT NULL`);
    // reconciliation: open rooms, least recently synced first
    await q.query(`CREATE INDEX rooms_active_by_status ON rooms (status, updated_at) WHERE status <> 'closed'`);

    await q.query(`
      CREATE TABLE messages (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq                   bigint GENERATED ALWAYS AS IDENTITY,
        rocketchat_message_id varchar(64) NOT NULL,
        room_id               uuid NOT NULL REFERENCES rooms (id),
        author_type           varchar(10) NOT NULL CHECK (author_type IN ('visitor', 'agent', 'system', 'bot')),
        author_id             varchar(64),
        author_username       varchar(100),
        author_name           varchar(255),
        text                  text NOT NULL DEFAULT '',
        attachments           jsonb NOT NULL DEFAULT '[]'::jsonb,
        system_type           varchar(64),
        sent_at               timestamptz NOT NULL,
        edited_at             timestamptz,
        delivery_status       varchar(10) CHECK (delivery_status IN ('pending', 'sent', 'failed')),
        delivery_attempts     integer NOT NULL DEFAULT 0,
        delivery_error        text,
        delivered_at          timestamptz,
        created_at            timestamptz NOT NULL DEFAULT now(),
        search_vector         tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED
      )`);
    await q.query(`CREATE UNIQUE INDEX messages_rocketchat_message_id_key ON messages (rocketchat_message_id)`);
    await q.query(`CREATE UNIQUE INDEX messages_seq_key ON messages (seq)`);
    // GET /v1/rooms/:id/messages and transcripts: a room's conversation in order
    await q.query(`CREATE INDEX messages_by_room_time ON messages (room_id, sent_at, seq)`);
    // outbound delivery: a room's pending messages, oldest first
    await q.query(`CREATE INDEX messages_pending_by_room ON messages (room_id, seq) WHERE delivery_status = 'pending'`);
    // GET /v1/transcripts?q=: full-text search
    await q.query(`CREATE INDEX messages_search ON messages USING gin (search_vector)`);

    await q.query(`
      CREATE TABLE room_events (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        room_id     uuid NOT NULL REFERENCES rooms (id),
        type        varchar(32) NOT NULL,
        data        jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_at timestamptz NOT NULL,
        dedupe_key  varchar(200) NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX room_events_dedupe_key ON room_events (dedupe_key)`);
    // a room's lifecycle history in order
    await q.query(`CREATE INDEX room_events_by_room ON room_events (room_id, occurred_at, id)`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        received_at        timestamptz NOT NULL DEFAULT now(),
        event_type         varchar(64),
        rocketchat_room_id varchar(64),
        dedupe_key         char(64) NOT NULL,
        payload            jsonb,
        outcome            varchar(16) NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'ignored', 'rejected')),
        error              text
      )`);
    // audit: a room's deliveries; "was this content seen before"
    await q.query(`CREATE INDEX webhook_deliveries_by_room ON webhook_deliveries (rocketchat_room_id, received_at)`);
    await q.query(`CREATE INDEX webhook_deliveries_by_dedupe_key ON webhook_deliveries (dedupe_key)`);

    await q.query(`
      CREATE TABLE offline_messages (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                varchar(255) NOT NULL,
        email               varchar(320) NOT NULL,
        message             text NOT NULL,
        department          varchar(64),
        source              varchar(10) NOT NULL CHECK (source IN ('api', 'webhook')),
        sent_at             timestamptz NOT NULL,
        webhook_received_at timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX offline_messages_by_email ON offline_messages (lower(email), sent_at)`);
    await q.query(`CREATE INDEX offline_messages_by_sent ON offline_messages (sent_at)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        api_key_id      uuid NOT NULL,
        key             varchar(255) NOT NULL,
        route           varchar(200) NOT NULL,
        request_hash    char(64) NOT NULL,
        response_status integer NOT NULL,
        response_body   jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (api_key_id, key)
      )`);
    // expiry sweep
    await q.query(`CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'offline_messages', 'webhook_deliveries', 'room_events', 'messages', 'rooms', 'visitors']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
