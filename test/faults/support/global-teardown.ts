import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import globalTeardown from '../../support/global-teardown';
import { readFaultCases, summaryTable } from './summary';

export default async function faultsGlobalTeardown(): Promise<void> {
  const file = process.env.OMNIGATE_FAULTS_SUMMARY;
  if (file) {
    const rows = readFaultCases(file);
    process.stdout.write(`\nFault suite summary\n\n${rows.length ? summaryTable(rows) : '(no case recorded its figures)'}\n\n`);
    await rm(dirname(file), { recursive: true, force: true });
  }
  await globalTeardown();
}
