/**
 * A token bucket that paces calls to at most `ratePerSecond`, for CloudTrail's LookupEvents limit
 * (2 requests per second per account and region). Capacity 1 by default: requests are spaced
 * evenly instead of bursting, so the client never spends the server's burst allowance and a
 * second caller in the account (the CloudTrail console, another tool) still gets through.
 * Callers queue in order; the clock and sleep are parameters so tests need no real waiting.
 */
export interface BucketClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: BucketClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly capacity = 1,
    private readonly clock: BucketClock = realClock,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError("ratePerSecond must be positive");
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Resolves when the caller may make one request. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    // The queue continues even if a waiter's promise is abandoned.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The server said "throttled": someone else in the account is using the same allowance.
   * Empty the bucket so the next request waits at least a full interval.
   */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill() {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    }
  }
}

// Buckets live as long as the process: runs come and go, an account's allowance does not.
const globalForBuckets = globalThis as unknown as { __tokenBuckets?: Map<string, TokenBucket> };

/**
 * The process's bucket for one allowance (e.g. "lookup:us-east-1", "filterLogEvents:<account>/<region>"),
 * made anew when the configured rate changes.
 */
export function processBucket(key: string, ratePerSecond: number): TokenBucket {
  globalForBuckets.__tokenBuckets ??= new Map();
  let bucket = globalForBuckets.__tokenBuckets.get(key);
  if (!bucket || bucket.ratePerSecond !== ratePerSecond) {
    bucket = new TokenBucket(ratePerSecond);
    globalForBuckets.__tokenBuckets.set(key, bucket);
  }
  return bucket;
}
