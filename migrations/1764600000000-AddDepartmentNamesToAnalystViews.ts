import { MigrationInterface, QueryRunner } from 'typeorm';
import { regrant, roomMetricsView, savedGrants, transcriptLinesView } from './support/analyst-views';

/**
 * `transcript_lines` and `room_metrics` gain `department_name`: the name of the room's department as
 * omnigate last read it from Rocket.Chat (table `departments`), null for a department it never read.
 *
 * Up is CREATE OR REPLACE VIEW with the column appended last: the views are not dropped, so the
 * privileges granted on them (an analyst role) and any view an analyst built on them stay. Down
 * cannot remove a column that way: it drops and recreates both views as they were, granting again
 * what had been granted (as ConfigurableSearchLanguage does).
 */
export class AddDepartmentNamesToAnalystViews1764600000000 implements MigrationInterface {
  name = 'AddDepartmentNamesToAnalystViews1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(transcriptLinesView({ withName: true, replace: true }));
    await q.query(roomMetricsView({ withName: true, replace: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [view, sql] of [['transcript_lines', transcriptLinesView({ withName: false, replace: false })], ['room_metrics', roomMetricsView({ withName: false, replace: false })]] as const) {
      const grants = await savedGrants(q, view);
      await q.query(`DROP VIEW ${view}`);
      await q.query(sql);
      await regrant(q, view, grants);
    }
  }
}
