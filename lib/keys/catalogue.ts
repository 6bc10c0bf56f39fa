/**
 * The model catalogue: foundation models and system-defined cross-region inference profiles, for
 * the "allowed models" restriction, readable policies, labels and the reveal screen's suggestion.
 *
 * What AWS really offers each account and region is read from Bedrock (ListFoundationModels,
 * ListInferenceProfiles; lib/models) and installed here with `setLiveCatalogue`. The fixed list
 * below is only the small offline fallback, used for a region nothing has been read for yet (a
 * fresh install, AWS unreachable) and as the labels of last resort. Pure (safe in client
 * components): the live catalogue is module state on globalThis, so every bundle of the server
 * (pages, actions, instrumentation) and the browser (through <LiveCatalogueLabels>) sees one copy.
 */

/** The fallback's geographies (live entries carry AWS's own prefix: jp, au, global, …). */
export type Geography = "us" | "eu" | "apac";

interface ModelDef {
  id: string;
  name: string;
  provider: string;
  /** Geographies with an inference profile `<geo>.<id>`. */
  profiles: readonly Geography[];
  /** false: AWS serves the model only through an inference profile. */
  onDemand: boolean;
}

const MODELS: readonly ModelDef[] = [
  { id: "anthropic.claude-3-5-haiku-20241022-v1:0", name: "Claude 3.5 Haiku", provider: "Anthropic", profiles: ["us"], onDemand: true },
  { id: "anthropic.claude-3-5-sonnet-20240620-v1:0", name: "Claude 3.5 Sonnet", provider: "Anthropic", profiles: ["us", "eu", "apac"], onDemand: true },
  { id: "anthropic.claude-3-5-sonnet-20241022-v2:0", name: "Claude 3.5 Sonnet v2", provider: "Anthropic", profiles: ["us", "apac"], onDemand: false },
  { id: "anthropic.claude-3-7-sonnet-20250219-v1:0", name: "Claude 3.7 Sonnet", provider: "Anthropic", profiles: ["us", "eu", "apac"], onDemand: false },
  { id: "anthropic.claude-sonnet-4-20250514-v1:0", name: "Claude Sonnet 4", provider: "Anthropic", profiles: ["us", "eu", "apac"], onDemand: false },
  { id: "anthropic.claude-opus-4-20250514-v1:0", name: "Claude Opus 4", provider: "Anthropic", profiles: ["us"], onDemand: false },
  { id: "meta.llama3-1-8b-instruct-v1:0", name: "Llama 3.1 8B Instruct", provider: "Meta", profiles: ["us"], onDemand: true },
  { id: "meta.llama3-1-70b-instruct-v1:0", name: "Llama 3.1 70B Instruct", provider: "Meta", profiles: ["us"], onDemand: true },
  { id: "meta.llama3-3-70b-instruct-v1:0", name: "Llama 3.3 70B Instruct", provider: "Meta", profiles: ["us"], onDemand: false },
  { id: "amazon.titan-text-express-v1", name: "Titan Text G1 - Express", provider: "Amazon", profiles: [], onDemand: true },
  { id: "amazon.titan-text-lite-v1", name: "Titan Text G1 - Lite", provider: "Amazon", profiles: [], onDemand: true },
  { id: "amazon.nova-micro-v1:0", name: "Nova Micro", provider: "Amazon", profiles: ["us", "eu", "apac"], onDemand: true },
  { id: "amazon.nova-lite-v1:0", name: "Nova Lite", provider: "Amazon", profiles: ["us", "eu", "apac"], onDemand: true },
  { id: "amazon.nova-pro-v1:0", name: "Nova Pro", provider: "Amazon", profiles: ["us", "eu", "apac"], onDemand: true },
  { id: "mistral.mistral-large-2402-v1:0", name: "Mistral Large (24.02)", provider: "Mistral AI", profiles: [], onDemand: true },
  { id: "mistral.mistral-7b-instruct-v0:2", name: "Mistral 7B Instruct", provider: "Mistral AI", profiles: [], onDemand: true },
];

/** Source regions of each geography's system-defined inference profiles. */
export const GEOGRAPHY_REGIONS: Record<Geography, readonly string[]> = {
  us: ["us-east-1", "us-east-2", "us-west-2"],
  eu: ["eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1"],
  apac: ["ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2"],
};

const GEOGRAPHY_LABEL: Record<Geography, string> = { us: "US", eu: "EU", apac: "APAC" };

/** Something a key can be restricted to: a foundation model or an inference profile. */
export interface CatalogueEntry {
  /** What a caller puts in the URL (`modelId`). */
  id: string;
  /** e.g. "Claude 3.5 Haiku" or "Claude 3.5 Haiku (US cross-region)". */
  label: string;
  kind: "foundation-model" | "inference-profile";
  /** The foundation model behind it. */
  modelId: string;
  provider: string;
  /** The inference profile's prefix (us, eu, apac, jp, au, global, …). */
  geography?: string;
  /** AWS marks the model LEGACY: still callable and selectable, flagged in the picker. */
  legacy?: boolean;
  /** AWS no longer lists it here: kept readable for the keys and policies that name it. */
  gone?: boolean;
}

export const CATALOGUE: readonly CatalogueEntry[] = MODELS.flatMap((m) => [
  ...(m.onDemand ? [{ id: m.id, label: m.name, kind: "foundation-model" as const, modelId: m.id, provider: m.provider }] : []),
  ...m.profiles.map((geo) => ({
    id: `${geo}.${m.id}`,
    label: `${m.name} (${GEOGRAPHY_LABEL[geo]} cross-region)`,
    kind: "inference-profile" as const,
    modelId: m.id,
    provider: m.provider,
    geography: geo,
  })),
]);

const BY_ID = new Map(CATALOGUE.map((e) => [e.id, e]));
const MODEL_NAMES = new Map(MODELS.map((m) => [m.id, m.name]));

/** What Bedrock lists: entries per region (union over accounts) and every entry ever seen, by id. */
export interface LiveCatalogue {
  byRegion: ReadonlyMap<string, readonly CatalogueEntry[]>;
  byId: ReadonlyMap<string, CatalogueEntry>;
  /**
   * A name for base models AWS lists only through inference profiles (ListFoundationModels in the
   * regions read does not name them, but usage records the base model a profile routed to).
   */
  baseLabels: ReadonlyMap<string, string>;
}

/** "Claude X (US cross-region)" → "Claude X"; AWS's own "US Anthropic Claude X" → "Anthropic Claude X". */
export function baseModelLabel(profileLabel: string): string {
  const ours = /^(.+) \([^()]+ cross-region\)$/.exec(profileLabel);
  if (ours) return ours[1]!;
  return profileLabel.replace(/^(US|EU|APAC|JP|AU|CA|US-GOV|Global|GLOBAL)\s+/, "");
}

const globalForCatalogue = globalThis as unknown as { __liveCatalogue?: LiveCatalogue };

/**
 * Install what was read from AWS (server: lib/models/live.ts; browser: the labels the layout
 * hands down). Entries AWS stopped listing (gone) stay findable by id but are not offered.
 */
export function setLiveCatalogue(entries: readonly (CatalogueEntry & { region?: string })[]): void {
  const byRegion = new Map<string, CatalogueEntry[]>();
  for (const { region, ...e } of entries) {
    if (!region || e.gone) continue;
    const list = byRegion.get(region) ?? [];
    if (!list.some((x) => x.id === e.id)) list.push(e);
    byRegion.set(region, list);
  }
  const unique = uniqueById(entries);
  const baseLabels = new Map<string, string>();
  for (const e of unique) {
    if (e.kind === "inference-profile" && e.label !== e.id && !baseLabels.has(e.modelId)) baseLabels.set(e.modelId, baseModelLabel(e.label));
  }
  globalForCatalogue.__liveCatalogue = { byRegion, byId: new Map(unique.map((e) => [e.id, e])), baseLabels };
}

/** One entry per id across regions and accounts: gone only where it is gone everywhere. */
export function uniqueById(entries: readonly (CatalogueEntry & { region?: string })[]): CatalogueEntry[] {
  const byId = new Map<string, CatalogueEntry>();
  for (const entry of entries) {
    const e: CatalogueEntry = { ...entry };
    delete (e as { region?: string }).region;
    const seen = byId.get(e.id);
    if (!seen || (seen.gone && !e.gone)) byId.set(e.id, e);
  }
  return [...byId.values()];
}

function live(): LiveCatalogue | undefined {
  return globalForCatalogue.__liveCatalogue;
}

/** Every entry AWS has listed (one per id), for handing the labels to the browser. */
export function liveCatalogueEntries(): CatalogueEntry[] {
  return [...(live()?.byId.values() ?? [])];
}

/** Prefixes of system-defined inference profile ids, AWS's geographies (`us.`, `global.`, …). */
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\.(.+\..+)$/;

/**
 * An entry for an id neither the live catalogue nor the fallback knows (a saved setting from an
 * account or time the console has not read): its shape follows from AWS's id format, so policies
 * keep naming the right ARNs.
 */
function derivedEntry(id: string): CatalogueEntry {
  const m = PROFILE_PREFIX.exec(id);
  if (m) return { id, label: id, kind: "inference-profile", modelId: m[2]!, provider: "", geography: m[1]! };
  return { id, label: id, kind: "foundation-model", modelId: id, provider: "" };
}

export function findCatalogueEntry(id: string): CatalogueEntry | undefined {
  return live()?.byId.get(id) ?? BY_ID.get(id);
}

/** Known: listed by AWS for some account and region (now or before), or in the fallback. */
export function isKnownModelId(id: string): boolean {
  return findCatalogueEntry(id) !== undefined;
}

/** A human name for any model id or ARN the console meets, falling back to the id itself. */
export function modelLabel(idOrArn: string): string {
  const id = idOrArn.replace(/^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(foundation-model|inference-profile)\//, "");
  const liveEntry = live()?.byId.get(id);
  if (liveEntry) return liveEntry.label;
  return BY_ID.get(id)?.label ?? MODEL_NAMES.get(id) ?? live()?.baseLabels.get(id) ?? id;
}

export function geographyOf(region: string): Geography | undefined {
  return (Object.keys(GEOGRAPHY_REGIONS) as Geography[]).find((g) => GEOGRAPHY_REGIONS[g].includes(region));
}

/**
 * Entries callable from a region: what AWS lists there, or (nothing read yet) the fallback's
 * on-demand models plus the profiles of the region's geography.
 */
export function catalogueForRegion(region: string): CatalogueEntry[] {
  const listed = live()?.byRegion.get(region);
  if (listed?.length) return [...listed];
  const geo = geographyOf(region);
  return CATALOGUE.filter((e) => e.kind === "foundation-model" || e.geography === geo);
}

const DEFAULT_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

/**
 * The model id the reveal screen suggests for `BEDROCK_MODEL_ID`: the first allowed model when the
 * key is restricted, else Claude 3.5 Haiku (through the region's profile when there is one).
 */
export function suggestedModelId(region: string, allowed: readonly string[] = []): string {
  if (allowed.length > 0) return allowed[0]!;
  const geo = geographyOf(region);
  const profile = geo ? `${geo}.${DEFAULT_MODEL}` : undefined;
  return profile && BY_ID.has(profile) ? profile : DEFAULT_MODEL;
}

/**
 * The resource ARNs a model id must be allowed on. An inference profile routes the call to the
 * foundation model in any of its geography's regions, and IAM authorizes both the profile and
 * that model, so a profile needs both ARNs. Region and account are wildcards: the restriction is
 * about *which model*, not where (regions are a separate concern). The region wildcard also
 * matches the region-less foundation-model ARN (`arn:aws:bedrock:::foundation-model/…`) IAM
 * checks for global profiles. Ids the console does not know follow AWS's id format.
 */
export function modelResourceArns(id: string): string[] {
  const entry = findCatalogueEntry(id) ?? derivedEntry(id);
  const fm = `arn:aws:bedrock:*::foundation-model/${entry.modelId}`;
  return entry.kind === "inference-profile" ? [`arn:aws:bedrock:*:*:inference-profile/${entry.id}`, fm] : [fm];
}
