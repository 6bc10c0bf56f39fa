/**
 * The price catalogue (issue 15): on-demand USD per million tokens per model × region. AWS's list
 * prices ship as data (prices.json, with the day they were taken from AWS's price list) and are
 * loaded into ModelPrice as source "aws"; admins override them (source "admin"). Rows are never
 * edited: a change supersedes the row in force and inserts a new one, and every invocation record
 * keeps the priceId it was costed with, so past costs stay as they were computed.
 */
import { z } from "zod";
import type { ModelPrice, PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink } from "@/lib/keys/types";
import catalogue from "./prices.json";

export const PRICE_LIST = catalogue as {
  asOf: string;
  source: string;
  regionNote: string;
  notPriced: Record<UnpricedReason, string>;
  prices: { modelId: string; region: string; input: number; output: number; cacheRead: number | null; cacheWrite: number | null; note?: string }[];
};

/** Why a record has no cost. Never a silent 0. */
export type UnpricedReason = "unknown_model" | "no_price_in_region" | "provisioned" | "batch" | "marketplace" | "no_cache_price";

/** Every region ("*"): the row applied where a region has none of its own. */
export const ALL_REGIONS = "*";

/** Geographic and global cross-region inference profile prefixes (us., eu., apac., jp., au., ca., us-gov., global.). */
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\.(.+)$/;

const KNOWN_PRICED = new Set(PRICE_LIST.prices.map((p) => p.modelId));

/**
 * The model a logged modelId is priced under: profile ids and ARNs map to their base model
 * (`us.anthropic.claude-…` → `anthropic.claude-…`). A global profile keeps its prefix when the
 * price list has a price of its own for it (AWS prices newer Claude models' global profiles 10 %
 * below the geographic ones); admins can add such rows too (`known`). Provisioned throughput, custom
 * and marketplace models are not priced per token: they say so instead of getting a guess.
 */
export function priceModelId(modelId: string, known: ReadonlySet<string> = KNOWN_PRICED): { priceModelId: string; unpriced?: UnpricedReason } {
  let id = modelId.trim();
  const arn = id.match(/^arn:aws[\w-]*:(?:bedrock|sagemaker):[^:]*:[^:]*:([^/]+)\/(.+)$/);
  if (arn) {
    const [, kind, rest] = arn as unknown as [string, string, string];
    if (kind === "provisioned-model" || kind === "custom-model") return { priceModelId: "", unpriced: "provisioned" };
    if (kind === "marketplace" || kind === "endpoint" || kind === "imported-model") return { priceModelId: "", unpriced: "marketplace" };
    // Application inference profiles name no model in their ARN: the price cannot be told.
    if (kind === "application-inference-profile") return { priceModelId: "", unpriced: "unknown_model" };
    id = rest;
  }
  const profile = id.match(PROFILE_PREFIX);
  if (profile) {
    if (profile[1] === "global" && known.has(id)) return { priceModelId: id };
    id = profile[2]!;
  }
  return { priceModelId: id };
}

/** Tokens of one call, as the invocation log counts them. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface Costing {
  costUsd: number | null;
  priceId: string | null;
  unpricedReason: UnpricedReason | null;
}

type PriceRow = Pick<ModelPrice, "id" | "modelId" | "region" | "inputPerMTok" | "outputPerMTok" | "cacheReadPerMTok" | "cacheWritePerMTok" | "source">;

/**
 * The prices in force, read once per sync run. Precedence for a model in a region: the admin's
 * row for that region, the admin's row for every region, AWS's row for that region, AWS's row for
 * every region — an admin's "all regions" override means all regions.
 */
export class PriceBook {
  private readonly rows = new Map<string, PriceRow>();
  readonly models = new Set<string>();

  constructor(rows: readonly PriceRow[]) {
    for (const r of rows) {
      this.rows.set(`${r.source}\u0000${r.modelId}\u0000${r.region}`, r);
      this.models.add(r.modelId);
    }
  }

  static async load(db: PrismaClient): Promise<PriceBook> {
    return new PriceBook(await db.modelPrice.findMany({ where: { supersededAt: null } }));
  }

  find(modelId: string, region: string): PriceRow | null {
    for (const source of ["admin", "aws"]) {
      const row = this.rows.get(`${source}\u0000${modelId}\u0000${region}`) ?? this.rows.get(`${source}\u0000${modelId}\u0000${ALL_REGIONS}`);
      if (row) return row;
    }
    return null;
  }

  /** The cost of one call: tokens × price, or why it has none. */
  cost(modelId: string, region: string, operation: string, tokens: TokenCounts): Costing & { priceModelId: string } {
    const mapped = priceModelId(modelId, this.models);
    const unpriced = (reason: UnpricedReason) => ({ priceModelId: mapped.priceModelId, costUsd: null, priceId: null, unpricedReason: reason });
    if (mapped.unpriced) return unpriced(mapped.unpriced);
    // Batch inference (a model invocation job) is billed per job at its own rate.
    if (/batch|ModelInvocationJob/i.test(operation)) return unpriced("batch");
    if (!this.models.has(mapped.priceModelId)) return unpriced("unknown_model");
    const price = this.find(mapped.priceModelId, region);
    if (!price) return unpriced("no_price_in_region");
    if ((tokens.cacheReadTokens > 0 && price.cacheReadPerMTok === null) || (tokens.cacheWriteTokens > 0 && price.cacheWritePerMTok === null)) {
      return unpriced("no_cache_price");
    }
    const micro =
      tokens.inputTokens * price.inputPerMTok +
      tokens.outputTokens * price.outputPerMTok +
      tokens.cacheReadTokens * (price.cacheReadPerMTok ?? 0) +
      tokens.cacheWriteTokens * (price.cacheWritePerMTok ?? 0);
    return { priceModelId: mapped.priceModelId, costUsd: micro / 1_000_000, priceId: price.id, unpricedReason: null };
  }
}

const samePrice = (a: PriceRow, b: { input: number; output: number; cacheRead: number | null; cacheWrite: number | null }) =>
  a.inputPerMTok === b.input && a.outputPerMTok === b.output && a.cacheReadPerMTok === b.cacheRead && a.cacheWritePerMTok === b.cacheWrite;

/**
 * Loads the shipped price list into ModelPrice (source "aws"), idempotently: a row whose price and
 * date are unchanged stays; a changed one is superseded by a new row; a model dropped from the list
 * is superseded without a successor. Runs at start-up; safe on every instance at once (the unique
 * "in force" row is checked inside one transaction per change).
 */
export async function loadAwsPrices(db: PrismaClient, now: Date = new Date()): Promise<{ inserted: number; superseded: number }> {
  const current = await db.modelPrice.findMany({ where: { source: "aws", supersededAt: null } });
  const byKey = new Map(current.map((r) => [`${r.modelId}\u0000${r.region}`, r]));
  let inserted = 0;
  let superseded = 0;
  const wanted = new Set<string>();
  for (const p of PRICE_LIST.prices) {
    const key = `${p.modelId}\u0000${p.region}`;
    wanted.add(key);
    const row = byKey.get(key);
    if (row && row.asOf === PRICE_LIST.asOf && samePrice(row, p)) continue;
    await db.$transaction(async (tx) => {
      // Another instance may have loaded the same list a moment ago.
      const still = await tx.modelPrice.findFirst({ where: { source: "aws", modelId: p.modelId, region: p.region, supersededAt: null } });
      if (still && still.asOf === PRICE_LIST.asOf && samePrice(still, p)) return;
      if (still) {
        await tx.modelPrice.update({ where: { id: still.id }, data: { supersededAt: now } });
        superseded++;
      }
      await tx.modelPrice.create({
        data: {
          modelId: p.modelId,
          region: p.region,
          inputPerMTok: p.input,
          outputPerMTok: p.output,
          cacheReadPerMTok: p.cacheRead,
          cacheWritePerMTok: p.cacheWrite,
          source: "aws",
          asOf: PRICE_LIST.asOf,
          validFrom: now,
          note: p.note ?? "",
        },
      });
      inserted++;
    });
  }
  for (const [key, row] of byKey) {
    if (wanted.has(key)) continue;
    await db.modelPrice.updateMany({ where: { id: row.id, supersededAt: null }, data: { supersededAt: now } });
    superseded++;
  }
  return { inserted, superseded };
}

// ── Admin overrides ──

/** Dearer than any on-demand model AWS lists (Claude Opus 4's $75 output) by a wide margin: anything above is a typo. */
export const MAX_PRICE_PER_MTOK = 1000;

/**
 * A price in USD per million tokens: a number from 0 to MAX_PRICE_PER_MTOK. Messages are keys of
 * the "errors" namespace (the action translates them): "field.pricePerMTok" says the range.
 */
const blankToUndefined = (v: unknown) => (v === "" || v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);
const money = z.preprocess(
  (v) => {
    const blank = blankToUndefined(v);
    return typeof blank === "string" ? Number(blank.trim()) : blank;
  },
  z
    .number({ error: (issue) => (issue.input === undefined ? "field.required" : "field.pricePerMTok") })
    .refine((n) => Number.isFinite(n) && n >= 0 && n <= MAX_PRICE_PER_MTOK, { message: "field.pricePerMTok", params: { max: MAX_PRICE_PER_MTOK } }),
);
const optionalMoney = z.preprocess(blankToUndefined, money.optional()).transform((v) => v ?? null);

const REGION = /^(\*|[a-z]{2}(-gov)?-[a-z]+-\d)$/;

export const priceOverrideSchema = z.object({
  modelId: z
    .string()
    .trim()
    .min(3, "field.required")
    .max(200)
    .regex(/^[\w.:-]+$/, "field.format"),
  region: z.string().trim().regex(REGION, "field.choice"),
  inputPerMTok: money,
  outputPerMTok: money,
  cacheReadPerMTok: optionalMoney,
  cacheWritePerMTok: optionalMoney,
  note: z.string().trim().max(500).default(""),
});
export type PriceOverrideInput = z.input<typeof priceOverrideSchema>;

export const priceRevertSchema = z.object({ modelId: priceOverrideSchema.shape.modelId, region: priceOverrideSchema.shape.region });

export interface PriceActor {
  id: string;
  email: string;
}

const snapshot = (r: PriceRow & { asOf?: string; note?: string } | null) =>
  r
    ? { id: r.id, source: r.source, modelId: r.modelId, region: r.region, inputPerMTok: r.inputPerMTok, outputPerMTok: r.outputPerMTok, cacheReadPerMTok: r.cacheReadPerMTok, cacheWritePerMTok: r.cacheWritePerMTok, ...(r.note ? { note: r.note } : {}) }
    : null;

/** Invalid price input from a caller outside the action (the action reports the same fields, translated). */
export class PriceInputError extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.entries(fieldErrors).map(([field, code]) => `${field}: ${code}`).join("; "));
    this.name = "PriceInputError";
  }
}

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  throw new PriceInputError(fieldErrors);
}

const regionLabel = (region: string) => (region === ALL_REGIONS ? "all regions" : region);

/**
 * Sets an admin price for a model in a region (or every region): the admin row in force for the
 * same model and region is superseded, a new one inserted, in one transaction. Only calls costed
 * after this use it. The audit entry (the caller's sink) gets the price in force before and after.
 */
export async function setPriceOverride(db: PrismaClient, actor: PriceActor, input: unknown, audit: AuditSink, now: Date = new Date()): Promise<ModelPrice> {
  const data = parseOrThrow(priceOverrideSchema, input);
  audit.target({ type: "price", label: `${data.modelId} (${regionLabel(data.region)})` });
  const before = (await PriceBook.load(db)).find(data.modelId, data.region);
  const created = await db.$transaction(async (tx) => {
    await tx.modelPrice.updateMany({ where: { source: "admin", modelId: data.modelId, region: data.region, supersededAt: null }, data: { supersededAt: now } });
    return tx.modelPrice.create({
      data: {
        modelId: data.modelId,
        region: data.region,
        inputPerMTok: data.inputPerMTok,
        outputPerMTok: data.outputPerMTok,
        cacheReadPerMTok: data.cacheReadPerMTok,
        cacheWritePerMTok: data.cacheWritePerMTok,
        source: "admin",
        asOf: now.toISOString().slice(0, 10),
        validFrom: now,
        note: data.note,
        createdById: actor.id,
        createdByEmail: actor.email,
      },
    });
  });
  audit.target({ type: "price", id: created.id, label: `${data.modelId} (${regionLabel(data.region)})` });
  audit.detail({ before: snapshot(before), after: snapshot(created) });
  return created;
}

/** Drops the admin price for a model in a region: AWS's price (or a broader admin row) is in force again. */
export async function revertPriceOverride(db: PrismaClient, input: unknown, audit: AuditSink, now: Date = new Date()): Promise<{ reverted: boolean }> {
  const data = parseOrThrow(priceRevertSchema, input);
  audit.target({ type: "price", label: `${data.modelId} (${regionLabel(data.region)})` });
  const row = await db.modelPrice.findFirst({ where: { source: "admin", modelId: data.modelId, region: data.region, supersededAt: null } });
  if (!row) return { reverted: false };
  await db.modelPrice.updateMany({ where: { id: row.id, supersededAt: null }, data: { supersededAt: now } });
  const after = (await PriceBook.load(db)).find(data.modelId, data.region);
  audit.target({ type: "price", id: row.id, label: `${data.modelId} (${regionLabel(data.region)})` });
  audit.detail({ before: snapshot(row), after: snapshot(after) });
  return { reverted: true };
}

/** The rows in force, for Settings → Prices: admin overrides first, then AWS's list by model. */
export async function listPricesInForce(db: PrismaClient): Promise<ModelPrice[]> {
  const rows = await db.modelPrice.findMany({ where: { supersededAt: null } });
  return rows.sort((a, b) => (a.source === b.source ? 0 : a.source === "admin" ? -1 : 1) || a.modelId.localeCompare(b.modelId) || a.region.localeCompare(b.region));
}
