import { type CpuPerRequest, formatCpu } from './cpu';

export interface Row {
  scenario: string;
  rps?: number;
  p50?: number;
  p99?: number;
  /** CPU milliseconds per answered request (gateway, PostgreSQL) */
  cpu?: CpuPerRequest;
  ceiling?: { rps: number; p50: number; p99: number; cpu?: CpuPerRequest };
  /** the figure the target is about, as printed */
  figure: string;
  target: string;
  pass: boolean;
}

const num = (v: number | undefined, digits = 0): string => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));

export function table(rows: Row[]): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'CPU per request', 'ceiling req/s', 'ceiling p50', 'ceiling p99', 'ceiling CPU per request', 'result', 'target', ''];
  const lines = rows.map((r) => [
    r.scenario,
    num(r.rps),
    num(r.p50, 1),
    num(r.p99, 1),
    formatCpu(r.cpu),
    num(r.ceiling?.rps),
    num(r.ceiling?.p50, 1),
    num(r.ceiling?.p99, 1),
    formatCpu(r.ceiling?.cpu),
    r.figure,
    r.target,
    r.pass ? 'pass' : '**miss**',
  ]);
  return [header, header.map(() => '---'), ...lines].map((c) => `| ${c.join(' | ')} |`).join('\n');
}
