import { describe, expect, it } from "vitest";
import { evaluateUntilRun } from "./soon";

describe("evaluateUntilRun (the evaluation the cost ingest asks for)", () => {
  it("runs once when the lease is free", async () => {
    let calls = 0;
    const out = await evaluateUntilRun(async () => ({ n: ++calls }), { sleep: async () => undefined });
    expect(out).toEqual({ n: 1 });
    expect(calls).toBe(1);
  });

  it("when another evaluation holds the lease, tries again until one runs after the new rows", async () => {
    const waits: number[] = [];
    let calls = 0;
    // Busy twice (the timer's evaluation, begun before the rows were committed), then free.
    const out = await evaluateUntilRun(async () => (++calls <= 2 ? null : "evaluated"), { waitMs: 5000, sleep: async (ms) => void waits.push(ms) });
    expect(out).toBe("evaluated");
    expect(calls).toBe(3);
    expect(waits).toEqual([5000, 5000]);
  });

  it("gives up after its attempts (the scheduled evaluation still follows)", async () => {
    let calls = 0;
    const out = await evaluateUntilRun(async () => (++calls, null), { attempts: 4, sleep: async () => undefined });
    expect(out).toBeNull();
    expect(calls).toBe(4);
  });
});
