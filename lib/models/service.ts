import { randomUUID } from "node:crypto";
import {
  type BedrockClient,
  type FoundationModelSummary,
  type InferenceProfileSummary,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
} from "@aws-sdk/client-bedrock";
import type { AccountAccess } from "@/lib/accounts/access";
import { regionsOf } from "@/lib/accounts/service";
import { callAws, toAwsServiceError } from "@/lib/aws/errors";
import type { RegionalClients } from "@/lib/aws/bedrock";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { CatalogueEntry } from "@/lib/keys/catalogue";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import type { AuditSink } from "@/lib/keys/types";
import { reloadLiveCatalogue } from "./live";

/**
 * The model catalogue read from AWS (issue 15): ListFoundationModels and ListInferenceProfiles per
 * account × region, stored in BedrockCatalogueEntry. Scheduled (MODELS_REFRESH_MINUTES) and on
 * demand (an admin's "Refresh models"); a database lease keeps it to one read at a time across
 * instances. A region that fails keeps what was read before (or the offline fallback).
 */

export interface ModelsDeps {
  db: PrismaClient;
  access: AccountAccess;
  clients: RegionalClients;
  now: () => Date;
  /** BEDROCK_REGIONS: the regions of an account that names none. */
  defaultRegions: readonly string[];
}

export type ListedEntry = CatalogueEntry & { legacy: boolean };

const GEO_LABEL: Record<string, string> = { us: "US", eu: "EU", apac: "APAC", jp: "Japan", au: "Australia", ca: "Canada", "us-gov": "US GovCloud", global: "Global" };

const modelIdOfArn = (arn: string | undefined) => (arn ? arn.replace(/^.*:foundation-model\//, "") : "");

/**
 * What Bedrock offers in one region, as catalogue entries: every foundation model callable on
 * demand, and every system-defined inference profile (us., eu., apac., jp., global., …). Models
 * only served through a profile (newer Claude models) appear through their profiles only.
 */
export async function readRegionCatalogue(client: BedrockClient): Promise<ListedEntry[]> {
  const fm = await callAws("bedrock", "ListFoundationModels", () => client.send(new ListFoundationModelsCommand({})));
  const models: FoundationModelSummary[] = fm.modelSummaries ?? [];
  const profiles: InferenceProfileSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("bedrock", "ListInferenceProfiles", () =>
      client.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", maxResults: 1000, ...(nextToken ? { nextToken } : {}) })),
    );
    profiles.push(...(page.inferenceProfileSummaries ?? []));
    nextToken = page.nextToken;
  } while (nextToken);

  const byModel = new Map(models.filter((m) => m.modelId).map((m) => [m.modelId!, m]));
  const out: ListedEntry[] = [];
  for (const m of models) {
    if (!m.modelId || !m.inferenceTypesSupported?.includes("ON_DEMAND")) continue;
    out.push({
      id: m.modelId,
      label: m.modelName ?? m.modelId,
      kind: "foundation-model",
      modelId: m.modelId,
      provider: m.providerName ?? "",
      legacy: m.modelLifecycle?.status === "LEGACY",
    });
  }
  for (const p of profiles) {
    const id = p.inferenceProfileId;
    if (!id || p.status !== "ACTIVE") continue;
    const modelId = modelIdOfArn(p.models?.[0]?.modelArn) || id.slice(id.indexOf(".") + 1);
    const geo = id.slice(0, id.indexOf("."));
    const model = byModel.get(modelId);
    const name = model?.modelName;
    out.push({
      id,
      label: name ? `${name} (${GEO_LABEL[geo] ?? geo.toUpperCase()} cross-region)` : (p.inferenceProfileName ?? id),
      kind: "inference-profile",
      modelId,
      provider: model?.providerName ?? "",
      geography: geo,
      legacy: model?.modelLifecycle?.status === "LEGACY",
    });
  }
  return out;
}

export interface RegionReadResult {
  accountId: string;
  region: string;
  ok: boolean;
  models: number;
  profiles: number;
  /** New to this account × region since the last read. */
  added: number;
  /** Listed before, not any more. */
  gone: number;
  errorCode?: string;
}

/** Store one region's listing: upsert what is listed, mark what is not any more as gone. */
async function storeRegion(db: PrismaClient, accountId: string, region: string, entries: ListedEntry[], now: Date): Promise<{ added: number; gone: number }> {
  const ids = entries.map((e) => e.id);
  return db.$transaction(async (tx) => {
    const before = new Set((await tx.bedrockCatalogueEntry.findMany({ where: { accountId, region, goneAt: null }, select: { id: true } })).map((r) => r.id));
    for (const e of entries) {
      const data = { kind: e.kind, modelId: e.modelId, label: e.label, provider: e.provider, geography: e.geography ?? null, lifecycle: e.legacy ? "LEGACY" : "ACTIVE", lastSeenAt: now, goneAt: null };
      await tx.bedrockCatalogueEntry.upsert({ where: { accountId_region_id: { accountId, region, id: e.id } }, create: { accountId, region, id: e.id, firstSeenAt: now, ...data }, update: data });
    }
    const gone = await tx.bedrockCatalogueEntry.updateMany({ where: { accountId, region, goneAt: null, id: { notIn: ids } }, data: { goneAt: now } });
    const models = entries.filter((e) => e.kind === "foundation-model").length;
    await tx.bedrockCatalogueRead.upsert({
      where: { accountId_region: { accountId, region } },
      create: { accountId, region, readAt: now, okAt: now, models, profiles: entries.length - models, errorCode: null },
      update: { readAt: now, okAt: now, models, profiles: entries.length - models, errorCode: null },
    });
    return { added: ids.filter((id) => !before.has(id)).length, gone: gone.count };
  });
}

export const MODELS_REFRESH_LEASE = "models-refresh";
/** Longer than a read of every region of every account with the SDK's retries. */
const LEASE_TTL_MS = 10 * 60_000;

export type RefreshOutcome = { status: "busy" } | { status: "done"; regions: RegionReadResult[] };

/**
 * Read the catalogue of every active account (or one) in each of its regions. One region's
 * failure (access denied, region unreachable) is recorded and the others go on; what that region
 * listed before stays in use.
 */
export async function refreshModelCatalogue(deps: ModelsDeps, opts: { accountId?: string } = {}): Promise<RefreshOutcome> {
  const holder = randomUUID();
  if (!(await acquireLease(deps.db, MODELS_REFRESH_LEASE, holder, LEASE_TTL_MS, deps.now()))) return { status: "busy" };
  try {
    await deps.access.ensureDefault().catch(() => undefined);
    const accounts = await deps.db.awsAccount.findMany({
      where: { status: "active", ...(opts.accountId ? { id: opts.accountId } : {}) },
      select: { id: true, roleArn: true, externalId: true, regions: true },
      orderBy: { id: "asc" },
    });
    const regions: RegionReadResult[] = [];
    for (const account of accounts) {
      // Regions of one account in parallel: each is one or two calls, well inside Bedrock's quotas.
      const results = await Promise.all(
        regionsOf(account, deps.defaultRegions).map(async (region): Promise<RegionReadResult> => {
          const now = deps.now();
          try {
            const entries = await readRegionCatalogue(deps.clients.bedrock(account, region));
            const { added, gone } = await storeRegion(deps.db, account.id, region, entries, now);
            const models = entries.filter((e) => e.kind === "foundation-model").length;
            return { accountId: account.id, region, ok: true, models, profiles: entries.length - models, added, gone };
          } catch (error) {
            const code = toAwsServiceError(error, "bedrock", "ListFoundationModels").awsCode;
            await deps.db.bedrockCatalogueRead.upsert({
              where: { accountId_region: { accountId: account.id, region } },
              create: { accountId: account.id, region, readAt: now, errorCode: code },
              update: { readAt: now, errorCode: code },
            });
            return { accountId: account.id, region, ok: false, models: 0, profiles: 0, added: 0, gone: 0, errorCode: code };
          }
        }),
      );
      regions.push(...results);
    }
    await reloadLiveCatalogue(deps.db);
    return { status: "done", regions };
  } finally {
    await releaseLease(deps.db, MODELS_REFRESH_LEASE, holder);
  }
}

/** "Refresh models" (admins): the same read, audited with what it found per region. */
export async function refreshModelCatalogueNow(deps: ModelsDeps, audit: AuditSink) {
  audit.target({ type: "model-catalogue", id: "bedrock", label: "Bedrock models" });
  const outcome = await refreshModelCatalogue(deps);
  if (outcome.status === "busy") {
    audit.detail({ outcome: "busy" });
    return { status: "busy" as const, regions: [] };
  }
  const failed = outcome.regions.filter((r) => !r.ok);
  audit.detail({
    outcome: failed.length === 0 ? "success" : failed.length === outcome.regions.length ? "failed" : "partial",
    regions: outcome.regions.map((r) => ({ account: r.accountId, region: r.region, ok: r.ok, models: r.models, profiles: r.profiles, added: r.added, gone: r.gone, ...(r.errorCode ? { awsErrorCode: r.errorCode } : {}) })),
  });
  return { status: "done" as const, regions: outcome.regions };
}

export interface CatalogueReadView {
  accountId: string;
  region: string;
  readAt: Date;
  okAt: Date | null;
  models: number;
  profiles: number;
  errorCode: string | null;
}

/** The last read per account × region, for the accounts page. */
export async function catalogueReads(db: PrismaClient): Promise<CatalogueReadView[]> {
  return db.bedrockCatalogueRead.findMany({ orderBy: [{ accountId: "asc" }, { region: "asc" }] });
}
