/**
 * CPU time of a process tree from /proc/<pid>/stat, in clock ticks (`getconf CLK_TCK`, usually
 * 100 per second). A tree's ticks are utime + stime + cutime + cstime of its root and of every live
 * descendant: a child that exits and is reaped moves its ticks into its parent's cutime/cstime, so
 * a PostgreSQL backend forked and gone within the window is still counted (the postmaster reaps
 * its backends); only a child not yet reaped by a process of the tree could be missed.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let clkTck: number | undefined;
export function clockTicksPerSecond(): number {
  if (clkTck === undefined) {
    const out = (() => {
      try {
        return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      } catch {
        return NaN;
      }
    })();
    clkTck = Number.isFinite(out) && out > 0 ? out : 100;
  }
  return clkTck;
}

interface Stat {
  ppid: number;
  ticks: number;
}

/** ppid and utime+stime+cutime+cstime of one process, or undefined when it is gone. */
function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may hold spaces: the fields start after the last ')'
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // after comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}

/** Sum of the ticks of each root's tree (roots and all their live descendants), read at once. */
export function treeTicks(roots: number[]): number {
  const stats = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) stats.set(Number(name), s);
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let total = 0;
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += stats.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The postmaster of a PostgreSQL data directory (first line of postmaster.pid). */
export function postmasterPid(clusterDir: string): number {
  const pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${clusterDir}`);
  return pid;
}

/** Which processes a load run measures: the gateway process(es) and the postmaster (all of the cluster). */
export interface CpuTargets {
  gateway: number[];
  postgres: number;
}

export interface CpuSnapshot {
  gateway: number;
  postgres: number;
}

export function snapshot(t: CpuTargets): CpuSnapshot {
  return { gateway: treeTicks(t.gateway), postgres: treeTicks([t.postgres]) };
}

/** CPU milliseconds per answered request over a window, for the gateway and PostgreSQL. */
export interface CpuPerRequest {
  gatewayMs: number;
  postgresMs: number;
}

export function perRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuPerRequest {
  const ms = (ticks: number): number => (requests > 0 ? (ticks * 1000) / clockTicksPerSecond() / requests : NaN);
  return { gatewayMs: ms(after.gateway - before.gateway), postgresMs: ms(after.postgres - before.postgres) };
}

export function formatCpu(c: CpuPerRequest | undefined): string {
  if (!c) return '–';
  const f = (v: number): string => (Number.isNaN(v) ? '–' : v.toFixed(2));
  return `gw ${f(c.gatewayMs)} ms, pg ${f(c.postgresMs)} ms`;
}
