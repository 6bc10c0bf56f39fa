import { describe, expect, it } from "vitest";
import { TokenBucket, type BucketClock } from "./token-bucket";

function fakeClock(): BucketClock & { t: number; slept: number[] } {
  const clock = {
    t: 0,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

describe("TokenBucket", () => {
  it("spaces requests evenly at the rate, without a burst", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 1, clock);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await bucket.take();
      times.push(clock.t);
    }
    expect(times).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it("serves concurrent callers one after another", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(4, 1, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2].map((i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2]);
    expect(clock.t).toBe(500);
  });

  it("waits a full interval after the server reports throttling", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 1, clock);
    await bucket.take();
    clock.t += 2000; // idle: the bucket is full again
    bucket.drain();
    await bucket.take();
    expect(clock.slept).toEqual([500]);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new TokenBucket(0)).toThrow(RangeError);
  });
});
