import { MigrationInterface, QueryRunner } from 'typeorm';
import { regrant, roomMetricsView, savedGrants } from './support/analyst-views';

/**
 * The visitor's satisfaction survey, one per room (`POST /v1/rooms/:id/survey`). A row is first a
 * claim (`sending`: the survey is on its way to Rocket.Chat; a claim left by a process that died
 * may be taken again after 30 s), then `recorded` with what Rocket.Chat accepted. `room_metrics`
 * gains the recorded rating, comment and time (columns appended: CREATE OR REPLACE keeps the
 * view's privileges); down makes it again as it was, granting again what had been granted.
 */
export class RoomSurveys1764640000000 implements MigrationInterface {
  name = 'RoomSurveys1764640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE room_surveys (
        room_id              uuid PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
        state                varchar(10) NOT NULL CHECK (state IN ('sending', 'recorded')),
        rating               smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment              text,
        agent_knowledge      smallint CHECK (agent_knowledge BETWEEN 1 AND 5),
        agent_responsiveness smallint CHECK (agent_responsiveness BETWEEN 1 AND 5),
        agent_friendliness   smallint CHECK (agent_friendliness BETWEEN 1 AND 5),
        claimed_at           timestamptz NOT NULL DEFAULT now(),
        submitted_at         timestamptz
      )`);
    await q.query(roomMetricsView({ withName: true, withSurvey: true, replace: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    const grants = await savedGrants(q, 'room_metrics');
    await q.query(`DROP VIEW room_metrics`);
    await q.query(roomMetricsView({ withName: true, replace: false }));
    await regrant(q, 'room_metrics', grants);
    await q.query(`DROP TABLE room_surveys`);
  }
}
