/**
 * Test-only: store invocation records and their daily rollups directly (the ingest, built
 * separately, fills the same tables from CloudWatch Logs). Rollups are added to, as the ingest
 * does in the transaction that inserts the records, so several calls accumulate. Never imported
 * by product code; the benchmark uses it too.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface TestInvocation {
  requestId?: string;
  timestamp: Date;
  /** key:<IAM user> | identity:<source identity> | …, as UsageSubject */
  subject: string;
  modelId?: string;
  region?: string;
  accountId?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** null = unpriced */
  costUsd?: number | null;
}

let seq = 0;

type Roll = {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  unpricedCalls: number;
};

export function identityTypeOf(subject: string): string {
  return subject.startsWith("key:") ? "long-term" : subject.startsWith("identity:") ? "short-term" : "other";
}

export async function insertInvocations(db: PrismaClient, rows: TestInvocation[], options: { records?: boolean } = {}): Promise<void> {
  const full = rows.map((r) => {
    const modelId = r.modelId ?? "anthropic.claude-3-5-haiku-20241022-v1:0";
    const identityType = identityTypeOf(r.subject);
    const name = r.subject.slice(r.subject.indexOf(":") + 1);
    return {
      requestId: r.requestId ?? `req-${process.pid}-${Date.now().toString(36)}-${++seq}`,
      timestamp: r.timestamp,
      day: r.timestamp.toISOString().slice(0, 10),
      accountId: r.accountId ?? "123456789012",
      region: r.region ?? "us-east-1",
      inferenceRegion: r.region ?? "us-east-1",
      operation: "Converse",
      modelId,
      priceModelId: r.costUsd === null ? "" : modelId,
      identityArn: identityType === "long-term" ? `arn:aws:iam::123456789012:user/${name}` : `arn:aws:sts::123456789012:assumed-role/Signer/${name}`,
      subject: r.subject,
      identityType,
      inputTokens: r.input ?? 0,
      outputTokens: r.output ?? 0,
      cacheReadTokens: r.cacheRead ?? 0,
      cacheWriteTokens: r.cacheWrite ?? 0,
      costUsd: r.costUsd === undefined ? 0 : r.costUsd,
      unpricedReason: r.costUsd === null ? "unknown_model" : null,
    };
  });
  if (options.records !== false) {
    for (let i = 0; i < full.length; i += 5000) await db.invocationRecord.createMany({ data: full.slice(i, i + 5000) });
  }
  const daily = new Map<string, Roll & { day: string; subject: string; identityType: string; accountId: string; modelId: string; region: string }>();
  const model = new Map<string, Roll & { day: string; identityType: string; accountId: string; modelId: string; region: string }>();
  const bySubject = new Map<string, Roll & { day: string; subject: string; identityType: string }>();
  const byMonth = new Map<string, Roll & { month: string; subject: string; identityType: string }>();
  const bump = (r: Roll, f: (typeof full)[number]) => {
    r.calls += 1;
    r.inputTokens += f.inputTokens;
    r.outputTokens += f.outputTokens;
    r.cacheReadTokens += f.cacheReadTokens;
    r.cacheWriteTokens += f.cacheWriteTokens;
    if (f.costUsd === null) r.unpricedCalls += 1;
    else r.costUsd += f.costUsd;
  };
  const zero = (): Roll => ({ calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, unpricedCalls: 0 });
  for (const f of full) {
    const dk = [f.day, f.subject, f.accountId, f.modelId, f.region].join("\u0000");
    if (!daily.has(dk)) daily.set(dk, { day: f.day, subject: f.subject, identityType: f.identityType, accountId: f.accountId, modelId: f.modelId, region: f.region, ...zero() });
    bump(daily.get(dk)!, f);
    const mk = [f.day, f.accountId, f.modelId, f.region, f.identityType].join("\u0000");
    if (!model.has(mk)) model.set(mk, { day: f.day, identityType: f.identityType, accountId: f.accountId, modelId: f.modelId, region: f.region, ...zero() });
    bump(model.get(mk)!, f);
    const sk = [f.day, f.subject].join("\u0000");
    if (!bySubject.has(sk)) bySubject.set(sk, { day: f.day, subject: f.subject, identityType: f.identityType, ...zero() });
    bump(bySubject.get(sk)!, f);
    const month = f.day.slice(0, 7);
    const mok = [month, f.subject].join("\u0000");
    if (!byMonth.has(mok)) byMonth.set(mok, { month, subject: f.subject, identityType: f.identityType, ...zero() });
    bump(byMonth.get(mok)!, f);
  }
  const inc = (r: Roll) => ({
    calls: { increment: r.calls },
    inputTokens: { increment: r.inputTokens },
    outputTokens: { increment: r.outputTokens },
    cacheReadTokens: { increment: r.cacheReadTokens },
    cacheWriteTokens: { increment: r.cacheWriteTokens },
    costUsd: { increment: r.costUsd },
    unpricedCalls: { increment: r.unpricedCalls },
  });
  for (const r of daily.values()) {
    await db.costDaily.upsert({
      where: { day_subject_accountId_modelId_region: { day: r.day, subject: r.subject, accountId: r.accountId, modelId: r.modelId, region: r.region } },
      create: r,
      update: inc(r),
    });
  }
  for (const r of bySubject.values()) {
    await db.costDailySubject.upsert({ where: { day_subject: { day: r.day, subject: r.subject } }, create: r, update: inc(r) });
  }
  for (const r of byMonth.values()) {
    await db.costMonthlySubject.upsert({ where: { month_subject: { month: r.month, subject: r.subject } }, create: r, update: inc(r) });
  }
  for (const r of model.values()) {
    await db.costDailyModel.upsert({
      where: { day_accountId_modelId_region_identityType: { day: r.day, accountId: r.accountId, modelId: r.modelId, region: r.region, identityType: r.identityType } },
      create: r,
      update: inc(r),
    });
  }
}

/** Record a finished invocation-log run for an account × region (what "as of" reads). */
export async function markSynced(db: PrismaClient, syncedThrough: Date | null, region = "us-east-1", accountId = "123456789012"): Promise<void> {
  await db.invocationLogCursor.upsert({
    where: { accountId_region: { accountId, region } },
    create: { accountId, region, logGroupName: "/aws/bedrock/invocations", syncedThrough, lastRunAt: syncedThrough ?? new Date() },
    update: { syncedThrough, lastRunAt: syncedThrough ?? new Date() },
  });
}
