import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys hold the service's outcome (`{result: sent|pending|refused, message, ...}`), no
 * longer an HTTP status and body: the controller maps an outcome to its answer, the first time
 * and for every repeat. Keys stored before are converted, so a repeat within their 24 h gets the
 * same answer across the upgrade (only POST /v1/rooms/:id/messages stored keys).
 */
export class IdempotencyOutcomes1764630000000 implements MigrationInterface {
  name = 'IdempotencyOutcomes1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN outcome jsonb`);
    await q.query(`
      UPDATE idempotency_keys SET outcome = CASE
        WHEN response_status = 201 THEN jsonb_build_object('result', 'sent', 'message', response_body)
        WHEN response_status = 202 THEN jsonb_build_object('result', 'pending', 'message', response_body)
        ELSE jsonb_build_object(
          'result', 'refused',
          'message', response_body->'details'->'message',
          'reason', coalesce(response_body->'details'->'rocketchat'->>'reason', 'unknown'),
          'detail', response_body->'details'->'rocketchat'->>'detail',
          'roomGone', response_status = 409)
          -- an absent detail stays absent (the message's own nulls stay)
          - CASE WHEN response_body->'details'->'rocketchat' ? 'detail' THEN '' ELSE 'detail' END
      END`);
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN outcome SET NOT NULL`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN response_status, DROP COLUMN response_body`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN response_status integer, ADD COLUMN response_body jsonb`);
    await q.query(`
      UPDATE idempotency_keys SET
        response_status = CASE outcome->>'result' WHEN 'sent' THEN 201 WHEN 'pending' THEN 202
                          ELSE CASE WHEN (outcome->>'roomGone')::boolean THEN 409 ELSE 422 END END,
        response_body = CASE WHEN outcome->>'result' IN ('sent', 'pending') THEN outcome->'message'
          ELSE jsonb_build_object(
            'statusCode', CASE WHEN (outcome->>'roomGone')::boolean THEN 409 ELSE 422 END,
            'error', CASE WHEN (outcome->>'roomGone')::boolean THEN 'Conflict' ELSE 'Unprocessable Entity' END,
            'message', 'Rocket.Chat refused the message: ' || (outcome->>'reason')
                       || CASE WHEN (outcome->>'roomGone')::boolean THEN '; the room is now recorded as closed' ELSE '' END,
            'details', jsonb_build_object('message', outcome->'message',
                                          'rocketchat', jsonb_strip_nulls(jsonb_build_object('reason', outcome->>'reason', 'detail', outcome->>'detail'))))
        END`);
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN response_status SET NOT NULL, ALTER COLUMN response_body SET NOT NULL`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN outcome`);
  }
}
