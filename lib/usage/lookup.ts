import { type CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { awsErrorCode, classifyAwsError, toAwsServiceError } from "@/lib/aws/errors";
import { BEDROCK_EVENT_SOURCE } from "./normalize";
import type { TokenBucket } from "./token-bucket";

/** LookupEvents' largest page. */
export const PAGE_SIZE = 50;

export interface RetryPolicy {
  /** First backoff after a throttle or transient failure; doubles each time, with full jitter. */
  baseMs: number;
  maxMs: number;
  /** Consecutive failed attempts of one request before the region's sync gives up. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 20_000, maxAttempts: 8 };

export interface LookupPage {
  /** Each event's CloudTrail record, as the JSON text LookupEvents returned. */
  records: string[];
  /** Time of the oldest event on the page (newest first, so the last one); null for an empty page. */
  oldest: Date | null;
  nextToken: string | undefined;
}

export interface LookupContext {
  client: CloudTrailClient;
  bucket: TokenBucket;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  /** Called for every ThrottlingException the service answered (for progress and the benchmark). */
  onThrottled?: () => void;
}

/** A NextToken CloudTrail no longer accepts: the caller restarts paging from its committed position. */
export class StaleNextTokenError extends Error {
  override name = "StaleNextTokenError";
}

/**
 * One page of Bedrock events (EventSource = bedrock.amazonaws.com; the one lookup attribute
 * allowed) in [start, end], newest first. Waits for the region's bucket before every attempt,
 * retries throttling and transient failures with exponential backoff and jitter, and turns any
 * other failure into an AwsServiceError.
 */
export async function lookupPage(ctx: LookupContext, input: { start: Date; end: Date; nextToken?: string; maxResults?: number }): Promise<LookupPage> {
  for (let attempt = 1; ; attempt++) {
    await ctx.bucket.take();
    try {
      const out = await ctx.client.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: BEDROCK_EVENT_SOURCE }],
          StartTime: input.start,
          EndTime: input.end,
          MaxResults: input.maxResults ?? PAGE_SIZE,
          ...(input.nextToken ? { NextToken: input.nextToken } : {}),
        }),
      );
      const events = out.Events ?? [];
      const last = events[events.length - 1];
      return {
        records: events.map((e) => e.CloudTrailEvent).filter((j): j is string => typeof j === "string"),
        oldest: last?.EventTime ?? null,
        nextToken: out.NextToken || undefined,
      };
    } catch (error) {
      if (awsErrorCode(error) === "InvalidNextToken") throw new StaleNextTokenError("CloudTrail refused the NextToken");
      const { kind } = classifyAwsError(error);
      const retryable = kind === "Throttled" || kind === "Unavailable";
      if (kind === "Throttled") {
        ctx.onThrottled?.();
        ctx.bucket.drain();
      }
      if (!retryable || attempt >= ctx.retry.maxAttempts) throw toAwsServiceError(error, "cloudtrail", "LookupEvents");
      const ceiling = Math.min(ctx.retry.maxMs, ctx.retry.baseMs * 2 ** (attempt - 1));
      // Half fixed, half random: regions (or app instances) backing off together do not retry in step.
      await ctx.sleep(Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
    }
  }
}
