/** A fault for the next REST calls, optionally only for one route (`"POST livechat/message"`). */
interface CallFault {
  kind: 'fail' | 'timeout';
  remaining: number;
  status: number;
  route?: string;
}

export type CallFaultDecision = { kind: 'fail'; status: number } | { kind: 'timeout' } | undefined;

/** Faults of the REST side: failed answers, lost answers, latency. */
export class CallFaults {
  private queue: CallFault[] = [];
  latencyMs = 0;

  failNext(n: number, status = 500, route?: string): void {
    if (n > 0) this.queue.push({ kind: 'fail', remaining: n, status, route });
  }

  /** The call runs (its effect is stored) but is never answered: the client's timeout fires. */
  timeoutNext(n: number, route?: string): void {
    if (n > 0) this.queue.push({ kind: 'timeout', remaining: n, status: 0, route });
  }

  /** Takes one use of the first fault that applies to this call. */
  take(route: string): CallFaultDecision {
    const fault = this.queue.find((f) => f.remaining > 0 && (!f.route || f.route === route));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.queue = this.queue.filter((f) => f.remaining > 0);
    return fault.kind === 'fail' ? { kind: 'fail', status: fault.status } : { kind: 'timeout' };
  }

  clear(): void {
    this.queue = [];
    this.latencyMs = 0;
  }
}
