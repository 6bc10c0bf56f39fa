/**
 * The evaluation the cost ingest asks for must really happen after the new cost rows. When the
 * lease is taken, the holder (the timer's evaluation, or another instance's) may have read the
 * rollups before those rows were committed: then nothing would act on them until the next
 * scheduled evaluation, up to BUDGET_EVALUATE_MINUTES later. So a busy lease means "again in a
 * moment", until one evaluation has run that began after the rows landed.
 */
export const BUSY_RETRY_MS = 5_000;
export const BUSY_ATTEMPTS = 24; // two minutes: far longer than any evaluation (≈ 1 s for 300 budgets)

export async function evaluateUntilRun<T>(
  evaluate: () => Promise<T | null>,
  opts: { attempts?: number; waitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T | null> {
  const attempts = opts.attempts ?? BUSY_ATTEMPTS;
  const waitMs = opts.waitMs ?? BUSY_RETRY_MS;
  // unref: a pending retry never keeps a stopping server alive.
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  for (let attempt = 1; ; attempt++) {
    const result = await evaluate();
    if (result !== null || attempt >= attempts) return result;
    await sleep(waitMs);
  }
}
