/** A fault for the next REST calls, optionally only for one route (`"POST livechat/message"`). */
interface CallFault {
  kind: 'fail' | 'timeout' | 'hold';
  remaining: number;
  status: number;
  route?: string;
  gate?: Gate;
}

/** A held call: `reached` once the call has arrived; it goes on (handled, answered) at `release()`. */
export interface Gate {
  reached: Promise<void>;
  release(): void;
}

export type CallFaultDecision = { kind: 'fail'; status: number } | { kind: 'timeout' } | { kind: 'hold'; arrived(): void; released: Promise<void> } | undefined;

/** Faults of the REST side: failed answers, lost answers, latency. */
export class CallFaults {
  private queue: CallFault[] = [];
  private held: Gate[] = [];
  latencyMs = 0;

  failNext(n: number, status = 500, route?: string): void {
    if (n > 0) this.queue.push({ kind: 'fail', remaining: n, status, route });
  }

  /** The call runs (its effect is stored) but is never answered: the client's timeout fires. */
  timeoutNext(n: number, route?: string): void {
    if (n > 0) this.queue.push({ kind: 'timeout', remaining: n, status: 0, route });
  }

  /**
   * The next call (of `route`) waits before it is handled until the test releases it: what happens
   * on omnigate's side while a call is in flight, without a race against a latency.
   */
  holdNext(route?: string): Gate {
    let arrived!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    const gate: Gate & { arrived(): void; released: Promise<void> } = { reached, release, arrived, released };
    this.queue.push({ kind: 'hold', remaining: 1, status: 0, route, gate });
    this.held.push(gate);
    return gate;
  }

  /** Takes one use of the first fault that applies to this call. */
  take(route: string): CallFaultDecision {
    const fault = this.queue.find((f) => f.remaining > 0 && (!f.route || f.route === route));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.queue = this.queue.filter((f) => f.remaining > 0);
    if (fault.kind === 'hold') {
      const gate = fault.gate as Gate & { arrived(): void; released: Promise<void> };
      return { kind: 'hold', arrived: gate.arrived, released: gate.released };
    }
    return fault.kind === 'fail' ? { kind: 'fail', status: fault.status } : { kind: 'timeout' };
  }

  clear(): void {
    // a held call is let go, so no request is left hanging after a test
    for (const gate of this.held.splice(0)) gate.release();
    this.queue = [];
    this.latencyMs = 0;
  }
}
