import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { z } from "zod";
import { regionsOf } from "@/lib/accounts/service";
import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink } from "@/lib/keys/types";
import type { TrailSource } from "./s3-trail";

/**
 * Where usage comes from (issue 19), edited by admins on /settings: per registered account,
 * CloudTrail's LookupEvents (`lookup`), the organisation trail's files in S3 (`s3`) or both (each
 * event still counted once: eventID is unique), and the one trail whose files are read.
 */
export const USAGE_SOURCES = ["lookup", "s3", "both"] as const;
export type UsageSource = (typeof USAGE_SOURCES)[number];
export const TRAIL_TARGET = "usageTrail";
const TRAIL_ID = "org";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** S3 bucket names: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A key prefix as CloudTrail accepts it: no leading or trailing slash, at most 200 characters. */
const PREFIX = /^[^/](?:.*[^/])?$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The form posts one `source_<account-id>` field per account; they become `sources`. */
function collectSources(v: unknown): unknown {
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  const sources: Record<string, unknown> = { ...((v as { sources?: object }).sources ?? {}) };
  for (const [k, value] of Object.entries(v)) {
    if (k.startsWith("source_")) sources[k.slice("source_".length)] = value;
    else out[k] = value;
  }
  return { ...out, sources };
}

const trailFields = z.object({
  version: z.coerce.number().int().min(0),
  /** Empty: no trail (every account reads LookupEvents only). */
  bucket: z.preprocess(emptyToUndefined, z.string().trim().regex(BUCKET, { message: "field.trailBucket" }).optional()),
  prefix: z.preprocess(emptyToUndefined, z.string().trim().max(200).regex(PREFIX, { message: "field.trailPrefix" }).optional()),
  /** Empty: a single-account trail (AWSLogs/<account-id>/CloudTrail/…). */
  orgId: z.preprocess(emptyToUndefined, z.string().trim().regex(ORG_ID, { message: "field.trailOrgId" }).optional()),
  bucketRegion: z.preprocess(emptyToUndefined, z.string().trim().regex(REGION, { message: "field.region" }).optional()),
  /** Empty: the console's own credentials. */
  readerAccountId: z.preprocess(emptyToUndefined, z.string().regex(ACCOUNT_ID, { message: "field.accountId" }).optional()),
  queueUrl: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .max(2000)
      .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), { message: "field.queueUrl" })
      .optional(),
  ),
  /** Per registered account: where its usage comes from. */
  sources: z.record(z.string().regex(ACCOUNT_ID), z.enum(USAGE_SOURCES)).default({}),
});

export const trailFormSchema = z.preprocess(collectSources, trailFields);

export type TrailInput = z.output<typeof trailFormSchema>;

/** The first day a backfill may start from: CloudTrail began in November 2013. */
const BACKFILL_EARLIEST = "2013-11-01";

/** A backfill's first day: a real UTC date, not before CloudTrail existed, not in the future. */
export const backfillSchema = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "field.date" })
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d) && d >= BACKFILL_EARLIEST, { message: "field.date" })
    .refine((d) => d <= new Date().toISOString().slice(0, 10), { message: "field.dateInFuture" }),
});

export interface TrailConfig {
  bucket: string;
  prefix: string;
  orgId: string;
  bucketRegion: string;
  readerAccountId: string | null;
  queueUrl: string | null;
}

export interface TrailSettings {
  version: number;
  trail: TrailConfig | null;
  accounts: { id: string; name: string; source: UsageSource; isDefault: boolean }[];
  updatedAt: string | null;
  updatedByEmail: string | null;
}

export async function getTrailConfig(db: PrismaClient): Promise<TrailConfig | null> {
  const row = await db.usageTrailConfig.findUnique({ where: { id: TRAIL_ID } });
  if (!row || !row.bucket) return null;
  return { bucket: row.bucket, prefix: row.prefix, orgId: row.orgId, bucketRegion: row.bucketRegion, readerAccountId: row.readerAccountId, queueUrl: row.queueUrl };
}

export async function getTrailSettings(db: PrismaClient): Promise<TrailSettings> {
  const row = await db.usageTrailConfig.findUnique({ where: { id: TRAIL_ID } });
  const accounts = await db.awsAccount.findMany({ orderBy: [{ source: "asc" }, { name: "asc" }], select: { id: true, name: true, usageSource: true, source: true } });
  return {
    version: row?.version ?? 0,
    trail: await getTrailConfig(db),
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, source: asSource(a.usageSource), isDefault: a.source === "default" })),
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedByEmail: row?.updatedByEmail ?? null,
  };
}

export const asSource = (v: string): UsageSource => ((USAGE_SOURCES as readonly string[]).includes(v) ? (v as UsageSource) : "lookup");

/** The S3 key prefix of one account's CloudTrail folders: `[<prefix>/]AWSLogs/[<org-id>/]<account-id>/CloudTrail/`. */
export function accountTrailPrefix(trail: Pick<TrailConfig, "prefix" | "orgId">, accountId: string): string {
  return `${trail.prefix ? `${trail.prefix}/` : ""}AWSLogs/${trail.orgId ? `${trail.orgId}/` : ""}${accountId}/CloudTrail/`;
}

/**
 * Save the trail and the per-account sources (optimistic concurrency on version). Everything is
 * checked before anything is written, and written in one transaction: bad input changes nothing.
 * Audited with the values before and after (no secrets here: bucket names and queue URLs are not).
 */
export async function updateTrailSettings(db: PrismaClient, actor: { id: string; email: string }, input: TrailInput, audit: AuditSink): Promise<TrailSettings> {
  audit.target({ type: TRAIL_TARGET, id: TRAIL_ID, label: "Organisation trail" });
  if (input.bucket && !input.bucketRegion) throw new ActionError("usageTrail.regionRequired", {}, { bucketRegion: { code: "field.region" } });
  const accounts = await db.awsAccount.findMany({ select: { id: true, usageSource: true } });
  const known = new Set(accounts.map((a) => a.id));
  if (input.readerAccountId && !known.has(input.readerAccountId)) throw new ActionError("usageTrail.unknownAccount", { account: input.readerAccountId }, { readerAccountId: { code: "field.accountId" } });
  for (const id of Object.keys(input.sources)) if (!known.has(id)) throw new ActionError("usageTrail.unknownAccount", { account: id });
  const wantsS3 = Object.values(input.sources).some((s) => s !== "lookup");
  if (!input.bucket && wantsS3) throw new ActionError("usageTrail.bucketRequired", {}, { bucket: { code: "field.trailBucket" } });

  const before = await getTrailSettings(db);
  const changedSources = accounts.filter((a) => input.sources[a.id] && input.sources[a.id] !== a.usageSource);
  const data = input.bucket
    ? { bucket: input.bucket, prefix: input.prefix ?? "", orgId: input.orgId ?? "", bucketRegion: input.bucketRegion!, readerAccountId: input.readerAccountId ?? null, queueUrl: input.queueUrl ?? null }
    : { bucket: "", prefix: "", orgId: "", bucketRegion: "", readerAccountId: null, queueUrl: null };
  await db.$transaction(async (tx) => {
    const row = await tx.usageTrailConfig.findUnique({ where: { id: TRAIL_ID }, select: { version: true } });
    const current = row?.version ?? 0;
    if (input.version !== current) throw new ActionError("conflict");
    if (!row) await tx.usageTrailConfig.create({ data: { id: TRAIL_ID, version: 1, ...data, updatedById: actor.id, updatedByEmail: actor.email } });
    else {
      const saved = await tx.usageTrailConfig.updateMany({ where: { id: TRAIL_ID, version: current }, data: { ...data, version: current + 1, updatedById: actor.id, updatedByEmail: actor.email } });
      if (saved.count !== 1) throw new ActionError("conflict");
    }
    for (const a of changedSources) await tx.awsAccount.update({ where: { id: a.id }, data: { usageSource: input.sources[a.id]! } });
  });
  const after = await getTrailSettings(db);
  audit.detail({
    before: { trail: before.trail, sources: Object.fromEntries(before.accounts.map((a) => [a.id, a.source])) },
    after: { trail: after.trail, sources: Object.fromEntries(after.accounts.map((a) => [a.id, a.source])) },
    enabled: Boolean(after.trail),
  });
  return after;
}

type Reader = { id: string; roleArn: string | null; externalId: string | null };

/**
 * What a run reads from the trail: every active account whose source is s3 or both, in its
 * regions, with an S3 client acting as the reader account. Null when no trail is configured or no
 * account reads from it. `ownAccountId` is the console's own account: LookupEvents knows it as "".
 */
export async function loadTrailSource(
  db: PrismaClient,
  options: {
    defaultRegions: readonly string[];
    ownAccountId: string | null;
    s3For(reader: Reader | null, region: string): S3Client;
    sqsFor?(reader: Reader | null, region: string): SQSClient;
  },
): Promise<TrailSource | null> {
  const trail = await getTrailConfig(db);
  if (!trail) return null;
  const accounts = await db.awsAccount.findMany({ orderBy: { id: "asc" } });
  const reading = accounts.filter((a) => a.status === "active" && asSource(a.usageSource) !== "lookup");
  if (reading.length === 0) return null;
  const reader = trail.readerAccountId ? (accounts.find((a) => a.id === trail.readerAccountId) ?? null) : null;
  if (trail.readerAccountId && !reader) throw new Error(`The trail's reader account ${trail.readerAccountId} is no longer registered.`);
  const as = reader && reader.id !== options.ownAccountId ? { id: reader.id, roleArn: reader.roleArn, externalId: reader.externalId } : null;
  // A queue URL names its region (https://sqs.<region>.amazonaws.com/…); otherwise the bucket's.
  const queueRegion = trail.queueUrl ? (/sqs[.-]([a-z0-9-]+)\.amazonaws\./.exec(trail.queueUrl)?.[1] ?? trail.bucketRegion) : trail.bucketRegion;
  return {
    trail,
    s3: options.s3For(as, trail.bucketRegion),
    ...(trail.queueUrl && options.sqsFor ? { sqs: options.sqsFor(as, queueRegion) } : {}),
    streams: reading.flatMap((a) => regionsOf(a, options.defaultRegions).map((region) => ({ accountId: a.id, accountName: a.name, region }))),
    managed: new Set(accounts.map((a) => a.id)),
    lookupOff: new Set(reading.filter((a) => a.usageSource === "s3").map((a) => (a.id === options.ownAccountId ? "" : a.id))),
  };
}
