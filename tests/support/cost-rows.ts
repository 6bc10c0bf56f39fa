import { withDb } from "./e2e-db";

/**
 * Browser tests' cost data: daily (and monthly per-subject) cost rollups and an invocation-log cursor written straight into
 * the app's database, as the invocation-log ingest leaves them (the ingest is tested on its own).
 * Days are UTC. `costUsd` null = the calls could not be priced.
 */
export interface CostDay {
  day: string;
  /** key:<IAM user> | identity:<source identity> */
  subject: string;
  modelId: string;
  region?: string;
  calls: number;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  costUsd: number | null;
}

const sqlTime = (d: Date) => d.toISOString().replace("Z", "+00:00");
/** Each rollup's sums, added on conflict (as lib/cost/records.ts's ADD does). */
const ADD = ["calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls"].map((c) => `${c} = ${c} + excluded.${c}`).join(", ");

export function insertCostDays(rows: CostDay[], syncedThrough: Date = new Date()): void {
  withDb((db) => {
    const daily = db.prepare(
      `INSERT INTO CostDaily (day, subject, identityType, accountId, modelId, region, calls, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd, unpricedCalls)
       VALUES (@day, @subject, @identityType, '123456789012', @modelId, @region, @calls, @input, @output, @cacheRead, @cacheWrite, @cost, @unpriced)`,
    );
    const model = db.prepare(
      `INSERT INTO CostDailyModel (day, accountId, modelId, region, identityType, calls, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd, unpricedCalls)
       VALUES (@day, '123456789012', @modelId, @region, @identityType, @calls, @input, @output, @cacheRead, @cacheWrite, @cost, @unpriced)
       ON CONFLICT (day, accountId, modelId, region, identityType) DO UPDATE SET ${ADD}`,
    );
    const bySubject = db.prepare(
      `INSERT INTO CostDailySubject (day, subject, identityType, calls, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd, unpricedCalls)
       VALUES (@day, @subject, @identityType, @calls, @input, @output, @cacheRead, @cacheWrite, @cost, @unpriced)
       ON CONFLICT (day, subject) DO UPDATE SET ${ADD}`,
    );
    const byMonth = db.prepare(
      `INSERT INTO CostMonthlySubject (month, subject, identityType, calls, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd, unpricedCalls)
       VALUES (@month, @subject, @identityType, @calls, @input, @output, @cacheRead, @cacheWrite, @cost, @unpriced)
       ON CONFLICT (month, subject) DO UPDATE SET ${ADD}`,
    );
    db.transaction(() => {
      for (const r of rows) {
        const v = {
          day: r.day,
          subject: r.subject,
          identityType: r.subject.startsWith("key:") ? "long-term" : "short-term",
          modelId: r.modelId,
          region: r.region ?? "us-east-1",
          calls: r.calls,
          input: r.input,
          output: r.output,
          cacheRead: r.cacheRead ?? 0,
          cacheWrite: r.cacheWrite ?? 0,
          cost: r.costUsd ?? 0,
          unpriced: r.costUsd === null ? r.calls : 0,
        };
        daily.run(v);
        bySubject.run(Object.fromEntries(Object.entries(v).filter(([k]) => !["modelId", "region"].includes(k))));
        byMonth.run({ ...Object.fromEntries(Object.entries(v).filter(([k]) => !["day", "modelId", "region"].includes(k))), month: r.day.slice(0, 7) });
        // better-sqlite3 refuses named parameters the statement does not use.
        model.run(Object.fromEntries(Object.entries(v).filter(([k]) => k !== "subject")));
      }
      db.prepare(
        `INSERT INTO InvocationLogCursor (accountId, region, logGroupName, syncedThrough, lastRunAt, recordsRead, updatedAt) VALUES ('123456789012', 'us-east-1', '/aws/bedrock/invocations', @t, @t, 0, @t)
         ON CONFLICT (accountId, region) DO UPDATE SET syncedThrough = excluded.syncedThrough, lastRunAt = excluded.lastRunAt`,
      ).run({ t: sqlTime(syncedThrough) });
    })();
  });
}

/** YYYY-MM-DD of a UTC day `offset` days from today. */
export function utcDay(offset = 0): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** First UTC day of last month. */
export function firstOfLastMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
}
