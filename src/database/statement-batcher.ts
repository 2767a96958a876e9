/**
 * Groups concurrent requests for one statement: a request arriving while `inFlight` statements run
 * waits for the next, together with the others that arrive meanwhile (one round trip and one
 * commit for all, each caller answered after it). A lone request goes at once, so the batcher
 * never delays one by more than it takes to start the statement. Should a batch fail, its
 * requests are run again one at a time, so one bad request fails only itself.
 *
 * `run` gets the batch in arrival order and returns one result per input, in the same order.
 */
export class StatementBatcher<I, O> {
  private readonly waiting: Array<{ input: I; done: (output: O) => void; failed: (error: unknown) => void }> = [];
  private running = 0;

  constructor(
    private readonly run: (batch: I[]) => Promise<O[]>,
    private readonly options: { inFlight: number; maxBatch: number } = { inFlight: 2, maxBatch: 100 },
  ) {}

  submit(input: I): Promise<O> {
    return new Promise((done, failed) => {
      this.waiting.push({ input, done, failed });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.inFlight && this.waiting.length) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.running += 1;
      void this.execute(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async execute(batch: StatementBatcher<I, O>['waiting']): Promise<void> {
    try {
      const outputs = await this.run(batch.map((w) => w.input));
      batch.forEach((w, i) => w.done(outputs[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.failed(error);
      for (const w of batch) await this.execute([w]);
    }
  }
}
