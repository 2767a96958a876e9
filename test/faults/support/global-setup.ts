import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import globalSetup from '../../support/global-setup';

/** The root suite's PostgreSQL, plus a file where each case appends its line of the summary. */
export default async function faultsGlobalSetup(): Promise<void> {
  await globalSetup();
  const dir = await mkdtemp(join(tmpdir(), 'omnigate-faults-'));
  process.env.OMNIGATE_FAULTS_SUMMARY = join(dir, 'summary.jsonl');
}
