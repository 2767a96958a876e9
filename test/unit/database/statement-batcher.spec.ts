import { StatementBatcher } from '../../../src/database/statement-batcher';

/** A statement that records the batches it ran and answers when released. */
function recorder<I, O>(answer: (input: I) => O | Error) {
  const batches: I[][] = [];
  const releases: Array<() => void> = [];
  const run = async (batch: I[]): Promise<O[]> => {
    batches.push(batch);
    await new Promise<void>((r) => releases.push(r));
    const outputs = batch.map(answer);
    const failure = outputs.find((o) => o instanceof Error);
    if (failure) throw failure;
    return outputs as O[];
  };
  const releaseAll = async (): Promise<void> => {
    while (releases.length) releases.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { batches, run, releaseAll };
}

describe('StatementBatcher', () => {
  it('runs a lone request at once, and the ones arriving while two statements run together in the next', async () => {
    const r = recorder<number, number>((n) => n * 10);
    const batcher = new StatementBatcher(r.run, { inFlight: 2, maxBatch: 100 });
    const first = batcher.submit(1);
    const second = batcher.submit(2);
    expect(r.batches).toEqual([[1], [2]]);
    const rest = [3, 4, 5].map((n) => batcher.submit(n));
    expect(r.batches).toHaveLength(2);
    await r.releaseAll();
    expect(r.batches).toEqual([[1], [2], [3, 4, 5]]);
    await r.releaseAll();
    expect(await Promise.all([first, second, ...rest])).toEqual([10, 20, 30, 40, 50]);
  });

  it('caps a batch at maxBatch', async () => {
    const r = recorder<number, number>((n) => n);
    const batcher = new StatementBatcher(r.run, { inFlight: 1, maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    for (let i = 0; i < 4; i++) await r.releaseAll();
    expect(r.batches).toEqual([[1], [2, 3], [4, 5]]);
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
  });

  it('runs a failed batch again one request at a time: only the bad request fails', async () => {
    const r = recorder<number, number>((n) => (n === 3 ? new Error('bad 3') : n));
    const batcher = new StatementBatcher(r.run, { inFlight: 1, maxBatch: 100 });
    const first = batcher.submit(1);
    const rest = [2, 3, 4].map((n) => batcher.submit(n).then((v) => v, (e: Error) => e.message));
    for (let i = 0; i < 6; i++) await r.releaseAll();
    expect(r.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    expect(await first).toBe(1);
    expect(await Promise.all(rest)).toEqual([2, 'bad 3', 4]);
  });
});
