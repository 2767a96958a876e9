import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** One line of the fault suite's summary table. */
export interface FaultCaseResult {
  case: string;
  /** requests or events the test sent */
  sent: number;
  /** rows in PostgreSQL at the end */
  stored: number;
  /** what reached the other side (the simulator, or omnigate's tables for webhooks) */
  delivered: number;
  lost: number;
  duplicated: number;
  note?: string;
}

function summaryFile(): string {
  const file = process.env.OMNIGATE_FAULTS_SUMMARY;
  if (!file) throw new Error('OMNIGATE_FAULTS_SUMMARY is not set: run the fault suite through test/faults/jest.config.js');
  return file;
}

/** Appends a case's figures (test files run in workers; the global teardown prints them all). */
export function recordFaultCase(result: FaultCaseResult): void {
  appendFileSync(summaryFile(), JSON.stringify(result) + '\n');
}

export function readFaultCases(file: string): FaultCaseResult[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FaultCaseResult);
}

export function summaryTable(rows: FaultCaseResult[]): string {
  const header = ['case', 'sent', 'stored', 'delivered', 'lost', 'duplicated', 'note'];
  const lines = rows.map((r) => [r.case, r.sent, r.stored, r.delivered, r.lost, r.duplicated, r.note ?? ''].map(String));
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
