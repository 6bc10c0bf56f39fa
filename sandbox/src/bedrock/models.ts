/**
 * The sandbox's model catalogue and model-id resolution: which ids Bedrock runtime accepts, the
 * resource ARNs IAM sees for them, and where a cross-region inference profile routes a call.
 */

export type ModelFamily = "anthropic" | "meta" | "titan" | "nova" | "mistral";
export type Geography = "us" | "eu" | "apac" | "global";

export interface CatalogueModel {
  id: string;
  name: string;
  family: ModelFamily;
  /** Geographies with a system-defined cross-region inference profile `<geo>.<id>`. */
  profiles: readonly Geography[];
  /** False for models AWS only serves through an inference profile (newer Claude models). */
  onDemand: boolean;
  /** Retired: AWS answers ResourceNotFoundException. */
  endOfLife?: boolean;
  /** Still served but superseded: ListFoundationModels shows `modelLifecycle.status` LEGACY. */
  legacy?: boolean;
}

export const MODELS: readonly CatalogueModel[] = [
  { id: "anthropic.claude-3-5-haiku-20241022-v1:0", name: "Claude 3.5 Haiku", family: "anthropic", profiles: ["us"], onDemand: true },
  { id: "anthropic.claude-3-5-sonnet-20240620-v1:0", name: "Claude 3.5 Sonnet", family: "anthropic", profiles: ["us", "eu", "apac"], onDemand: true, legacy: true },
  { id: "anthropic.claude-3-5-sonnet-20241022-v2:0", name: "Claude 3.5 Sonnet v2", family: "anthropic", profiles: ["us", "apac"], onDemand: false, legacy: true },
  { id: "anthropic.claude-3-7-sonnet-20250219-v1:0", name: "Claude 3.7 Sonnet", family: "anthropic", profiles: ["us", "eu", "apac"], onDemand: false },
  { id: "anthropic.claude-sonnet-4-20250514-v1:0", name: "Claude Sonnet 4", family: "anthropic", profiles: ["us", "eu", "apac", "global"], onDemand: false },
  { id: "anthropic.claude-opus-4-20250514-v1:0", name: "Claude Opus 4", family: "anthropic", profiles: ["us"], onDemand: false, legacy: true },
  { id: "anthropic.claude-opus-4-1-20250805-v1:0", name: "Claude Opus 4.1", family: "anthropic", profiles: ["us"], onDemand: false },
  { id: "anthropic.claude-sonnet-4-5-20250929-v1:0", name: "Claude Sonnet 4.5", family: "anthropic", profiles: ["us", "eu", "apac", "global"], onDemand: false },
  { id: "anthropic.claude-haiku-4-5-20251001-v1:0", name: "Claude Haiku 4.5", family: "anthropic", profiles: ["us", "eu", "apac", "global"], onDemand: false },
  { id: "anthropic.claude-opus-4-5-20251101-v1:0", name: "Claude Opus 4.5", family: "anthropic", profiles: ["us", "eu", "global"], onDemand: false },
  { id: "meta.llama3-1-8b-instruct-v1:0", name: "Llama 3.1 8B Instruct", family: "meta", profiles: ["us"], onDemand: true },
  { id: "meta.llama3-1-70b-instruct-v1:0", name: "Llama 3.1 70B Instruct", family: "meta", profiles: ["us"], onDemand: true },
  { id: "meta.llama3-3-70b-instruct-v1:0", name: "Llama 3.3 70B Instruct", family: "meta", profiles: ["us"], onDemand: false },
  { id: "amazon.titan-text-express-v1", name: "Titan Text G1 - Express", family: "titan", profiles: [], onDemand: true },
  { id: "amazon.titan-text-lite-v1", name: "Titan Text G1 - Lite", family: "titan", profiles: [], onDemand: true },
  { id: "amazon.nova-micro-v1:0", name: "Nova Micro", family: "nova", profiles: ["us", "eu", "apac"], onDemand: true },
  { id: "amazon.nova-lite-v1:0", name: "Nova Lite", family: "nova", profiles: ["us", "eu", "apac"], onDemand: true },
  { id: "amazon.nova-pro-v1:0", name: "Nova Pro", family: "nova", profiles: ["us", "eu", "apac"], onDemand: true },
  { id: "amazon.nova-2-lite-v1:0", name: "Nova 2 Lite", family: "nova", profiles: ["us", "global"], onDemand: false },
  { id: "mistral.mistral-large-2402-v1:0", name: "Mistral Large (24.02)", family: "mistral", profiles: [], onDemand: true },
  { id: "mistral.mistral-7b-instruct-v0:2", name: "Mistral 7B Instruct", family: "mistral", profiles: [], onDemand: true },
  { id: "anthropic.claude-v2", name: "Claude 2", family: "anthropic", profiles: [], onDemand: true, endOfLife: true },
];

const BY_ID = new Map(MODELS.map((m) => [m.id, m]));

/** Source and destination regions of each geography's system-defined inference profiles. */
export const GEOGRAPHY_REGIONS: Record<Geography, readonly string[]> = {
  us: ["us-east-1", "us-east-2", "us-west-2"],
  eu: ["eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1"],
  apac: ["ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2"],
  // Global profiles (`global.<model>`) are callable from, and route to, any commercial region
  // the sandbox knows (AWS: "Global cross-Region inference").
  global: [
    "us-east-1", "us-east-2", "us-west-2",
    "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1",
    "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
  ],
};

export const INVALID_MODEL_MESSAGE = "The provided model identifier is invalid.";
export const END_OF_LIFE_MESSAGE =
  "This model version has reached the end of its life. Please refer to the AWS documentation for more details.";
export const onDemandUnsupportedMessage = (id: string) =>
  `Invocation of model ID ${id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;

/** What a modelId in the URL refers to, before knowing whether the model exists. */
export interface ModelTarget {
  /** The id as the caller sent it (CloudTrail `requestParameters.modelId`). */
  requested: string;
  kind: "foundation-model" | "inference-profile";
  /** Foundation model id, without a geography prefix. */
  baseId: string;
  geography?: Geography;
  /** The ARN IAM authorizes first (the profile for `us.` ids, else the foundation model). */
  resourceArn: string;
  /** Set when the id is not of a shape Bedrock accepts at all. */
  malformed?: boolean;
}

const GEO_PREFIX = /^(us|eu|apac|global)\.(.+)$/;

/** Parses a model id: a foundation model id, a `us.`/`eu.`/`apac.` profile id, or either's ARN. */
export function parseModelId(requested: string, region: string, accountId: string): ModelTarget {
  const fmArn = (r: string, id: string) => `arn:aws:bedrock:${r}::foundation-model/${id}`;
  const ipArn = (r: string, id: string) => `arn:aws:bedrock:${r}:${accountId}:inference-profile/${id}`;
  if (requested.startsWith("arn:")) {
    const m = /^arn:aws:bedrock:([a-z0-9-]+):(\d{12})?:(foundation-model|inference-profile)\/(.+)$/.exec(requested);
    // An ARN for another region or account is not something this endpoint can serve.
    const ok = m && m[1] === region && (m[3] === "foundation-model" ? !m[2] : m[2] === accountId);
    if (!m || !ok) return { requested, kind: "foundation-model", baseId: requested, resourceArn: requested, malformed: true };
    if (m[3] === "foundation-model") return { requested, kind: "foundation-model", baseId: m[4]!, resourceArn: requested };
    const geo = GEO_PREFIX.exec(m[4]!);
    return geo
      ? { requested, kind: "inference-profile", baseId: geo[2]!, geography: geo[1] as Geography, resourceArn: requested }
      : { requested, kind: "inference-profile", baseId: m[4]!, resourceArn: requested, malformed: true };
  }
  if (!/^[a-zA-Z0-9._:-]{1,2048}$/.test(requested)) {
    return { requested, kind: "foundation-model", baseId: requested, resourceArn: fmArn(region, requested), malformed: true };
  }
  const geo = GEO_PREFIX.exec(requested);
  if (geo) {
    return { requested, kind: "inference-profile", baseId: geo[2]!, geography: geo[1] as Geography, resourceArn: ipArn(region, requested) };
  }
  return { requested, kind: "foundation-model", baseId: requested, resourceArn: fmArn(region, requested) };
}

export type ModelResolution =
  | { ok: true; model: CatalogueModel; inferenceRegion: string; foundationModelArn: string }
  | { ok: false; code: "ValidationException" | "ResourceNotFoundException"; status: number; message: string };

/**
 * Decides whether the target can be invoked from `region`, and where it runs. `pick` chooses the
 * destination among a geography's regions (the caller makes it deterministic).
 */
export function resolveModel(target: ModelTarget, region: string, pick: (regions: readonly string[]) => string): ModelResolution {
  const invalid = { ok: false, code: "ValidationException", status: 400, message: INVALID_MODEL_MESSAGE } as const;
  if (target.malformed) return invalid;
  const model = BY_ID.get(target.baseId);
  if (!model) return invalid;
  if (model.endOfLife) return { ok: false, code: "ResourceNotFoundException", status: 404, message: END_OF_LIFE_MESSAGE };
  if (target.kind === "inference-profile") {
    const geo = target.geography!;
    // A profile exists only for its geography's source regions: `eu.` ids are unknown in us-east-1.
    if (!model.profiles.includes(geo) || !GEOGRAPHY_REGIONS[geo].includes(region)) return invalid;
    const inferenceRegion = pick(GEOGRAPHY_REGIONS[geo]);
    return { ok: true, model, inferenceRegion, foundationModelArn: `arn:aws:bedrock:${inferenceRegion}::foundation-model/${model.id}` };
  }
  if (!model.onDemand) return { ok: false, code: "ValidationException", status: 400, message: onDemandUnsupportedMessage(model.id) };
  return { ok: true, model, inferenceRegion: region, foundationModelArn: target.resourceArn };
}

/** Ids callers can use from `region`: on-demand foundation models and the profiles of its geography. */
export function invocableModelIds(region: string): string[] {
  const geo = (["us", "eu", "apac"] as Geography[]).find((g) => GEOGRAPHY_REGIONS[g].includes(region));
  const ids: string[] = [];
  for (const m of MODELS) {
    if (m.endOfLife) continue;
    if (m.onDemand) ids.push(m.id);
    if (geo && m.profiles.includes(geo)) ids.push(`${geo}.${m.id}`);
    if (m.profiles.includes("global") && GEOGRAPHY_REGIONS.global.includes(region)) ids.push(`global.${m.id}`);
  }
  return ids;
}

/** FNV-1a: a small stable hash, so the same call always routes to the same inference region. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
