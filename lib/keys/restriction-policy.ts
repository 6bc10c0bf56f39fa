import { findCatalogueEntry, modelLabel, modelResourceArns } from "./catalogue";

/**
 * The inline policy that narrows what a key may do, and its reverse: reading any inline policy
 * back into "may call: …, from …, until …". Pure; unit-tested.
 *
 * Restrictions are Deny statements, never Allows: AmazonBedrockLimitedAccess grants the
 * permissions and an explicit Deny always wins, so a restriction can only ever narrow a key.
 */

export const RESTRICTION_POLICY_NAME = "BedrockKeyConsoleRestrictions";

export interface KeyRestrictions {
  /** Model ids / inference profile ids the key may invoke; empty = no model restriction. */
  models: string[];
  /** Source IP ranges (canonical CIDR); empty = any address. */
  cidrs: string[];
  /** Last day (UTC, YYYY-MM-DD) the key may be used; null = no date restriction. */
  notAfter: string | null;
}

export const NO_RESTRICTIONS: KeyRestrictions = { models: [], cidrs: [], notAfter: null };

export function hasRestrictions(r: KeyRestrictions): boolean {
  return r.models.length > 0 || r.cidrs.length > 0 || r.notAfter !== null;
}

/** The key works until the end of its not-after day, UTC. */
export function notAfterInstant(date: string): string {
  return `${date}T23:59:59Z`;
}

const INVOKE_ACTIONS = "bedrock:InvokeModel*";
/** Set by Bedrock on a call made through an inference profile; absent on a direct model call. */
const PROFILE_ARN_KEY = "bedrock:InferenceProfileArn";
/**
 * bedrock-mantle (the OpenAI- and Anthropic-compatible endpoint, bedrock-mantle.<region>.api.aws)
 * is its own IAM service: a `bedrock:InvokeModel*` deny does not reach it. Inference there is
 * `bedrock-mantle:CreateInference` on a project, with the model named in `bedrock-mantle:Model`
 * (AWS's Service Authorization Reference; AWS's sample SCP "Deny Bedrock model invocation except
 * approved models" pairs the two services the same way).
 */
const MANTLE_INFERENCE = "bedrock-mantle:CreateInference";
const MANTLE_MODEL_KEY = "bedrock-mantle:Model";

/** IAM's limit for all of a user's inline policies together (characters, whitespace excluded). */
export const USER_INLINE_POLICY_LIMIT = 2_048;

/** A policy's size as IAM counts it: whitespace is not counted. */
export function policySize(document: string): number {
  return document.replace(/\s/g, "").length;
}

/**
 * The model ids a key restricted to `models` may name on bedrock-mantle. Mantle serves models by
 * their foundation-model id in the Region called (it has no `us.`/`eu.` inference profiles), so a
 * key allowed a cross-region profile may call that profile's model there: the restriction is
 * about *which model*, as on the runtime (regions are a separate concern).
 */
export function mantleModelIds(models: readonly string[]): string[] {
  return [...new Set(models.map((id) => findCatalogueEntry(id)?.modelId ?? id))];
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** JSON text of the restriction policy, or null when there is nothing to restrict. */
export function buildRestrictionPolicy(r: KeyRestrictions): string | null {
  if (!hasRestrictions(r)) return null;
  const statements: Statement[] = [];
  if (r.models.length > 0) {
    // NotResource: deny invoking anything except the allowed models (and their profiles).
    const allowed = [...new Set(r.models.flatMap(modelResourceArns))];
    statements.push({ Sid: "DenyOtherModels", Effect: "Deny", Action: INVOKE_ACTIONS, NotResource: allowed });
    // A profile needs its foundation model allowed too (the call is authorised on both), which on
    // its own would also let the key call that model directly. AWS's profile-only pattern: the
    // request carries bedrock:InferenceProfileArn only when it comes through a profile, so deny
    // the foundation models that were allowed only for a profile when that key is absent.
    const direct = new Set(r.models.map(modelResourceArns).filter((arns) => arns.length === 1).flat());
    const profileOnly = [...new Set(r.models.map(modelResourceArns).filter((arns) => arns.length > 1).flatMap((arns) => arns.slice(1)))].filter(
      (arn) => !direct.has(arn),
    );
    if (profileOnly.length > 0) {
      statements.push({
        Sid: "DenyDirectCallsToProfileOnlyModels",
        Effect: "Deny",
        Action: INVOKE_ACTIONS,
        Resource: profileOnly,
        Condition: { Null: { [PROFILE_ARN_KEY]: "true" } },
      });
    }
    // The same models at bedrock-mantle. CreateInference only: the negated operator is true when
    // the key is absent, so on bedrock-mantle:* it would also refuse CallWithBearerToken and
    // ListModels (which carry no model); on CreateInference an absent model is refused (fail closed).
    statements.push({
      Sid: "DenyOtherModelsOnMantle",
      Effect: "Deny",
      Action: MANTLE_INFERENCE,
      Resource: "*",
      Condition: { StringNotEquals: { [MANTLE_MODEL_KEY]: mantleModelIds(r.models) } },
    });
  }
  // Source ranges and the not-after day deny every action ("*"), so they bind bedrock-mantle too.
  if (r.cidrs.length > 0) {
    statements.push({
      Sid: "DenyOutsideAllowedNetworks",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { NotIpAddress: { "aws:SourceIp": r.cidrs } },
    });
  }
  if (r.notAfter) {
    statements.push({
      Sid: "DenyAfterNotAfterDate",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { DateGreaterThan: { "aws:CurrentTime": notAfterInstant(r.notAfter) } },
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** What a key's inline and managed policies mean, for the key page. */
export interface ReadablePolicy {
  /** Allowed models (id + label), or null when any model its policies allow may be called. */
  models: { id: string; label: string }[] | null;
  cidrs: string[] | null;
  /** YYYY-MM-DD, or null. */
  notAfter: string | null;
  /**
   * Models the key may call at bedrock-mantle, or null when any model is allowed there. Omitted
   * (a preview of what the console will write) means "the same models as `models`".
   */
  mantleModels?: { id: string; label: string }[] | null;
  /** Statements the reader does not understand (shown raw by the UI). */
  other: Statement[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function modelIdFromArn(arn: string): string {
  return arn.replace(/^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(foundation-model|inference-profile)\//, "");
}

/**
 * Read one or more inline policy documents. Recognised by shape, not by Sid, so restrictions
 * written by hand in the IAM console are read the same way.
 */
export function readRestrictions(documents: string[]): ReadablePolicy {
  const out: ReadablePolicy = { models: null, cidrs: null, notAfter: null, mantleModels: null, other: [] };
  const models: ModelReading = { listed: false, profiles: [], foundation: [], profileOnly: [], mantle: null };
  for (const doc of documents) {
    let parsed: { Statement?: Statement | Statement[] };
    try {
      parsed = JSON.parse(doc) as typeof parsed;
    } catch {
      out.other.push({ Sid: "(unreadable policy document)" });
      continue;
    }
    const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    for (const st of statements) {
      if (!readStatement(st, out, models)) out.other.push(st);
    }
  }
  if (models.listed) {
    // Exactly what the policies allow: the profiles, and each foundation model listed unless a
    // profile-only Deny refuses calling it directly (then it is reachable only through a profile).
    const direct = models.foundation.filter((arn) => !models.profileOnly.some((pattern) => globMatch(pattern, arn)));
    const ids = [...new Set([...models.profiles.map(modelIdFromArn), ...direct.map(modelIdFromArn)])];
    out.models = ids.map((id) => ({ id, label: modelLabel(id) }));
  }
  if (models.mantle) out.mantleModels = models.mantle.map((id) => ({ id, label: modelLabel(id) }));
  return out;
}

interface ModelReading {
  listed: boolean;
  profiles: string[];
  foundation: string[];
  /** Resource patterns denied when bedrock:InferenceProfileArn is absent (direct calls). */
  profileOnly: string[];
  /** Model ids bedrock-mantle inference is limited to (each such Deny narrows it: intersection). */
  mantle: string[] | null;
}

const invokes = (actions: string[]) => actions.some((a) => /^bedrock:(InvokeModel|\*)/.test(a));

/** IAM-style wildcard match (`*`, `?`), for reading Resource patterns. */
function globMatch(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+^$(){}|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`).test(value);
}

function readStatement(st: Statement, out: ReadablePolicy, models: ModelReading): boolean {
  if (st.Effect !== "Deny") return false;
  const actions = list(st.Action);
  const everything = actions.includes("*") && list(st.Resource).includes("*") && !st.NotResource;
  if (st.NotResource && !st.Condition && invokes(actions)) {
    const arns = list(st.NotResource);
    models.listed = true;
    models.profiles.push(...arns.filter((a) => a.includes(":inference-profile/")));
    models.foundation.push(...arns.filter((a) => a.includes(":foundation-model/")));
    return true;
  }
  const condition = st.Condition ?? {};
  if (
    st.Resource &&
    invokes(actions) &&
    Object.keys(condition).length === 1 &&
    Object.keys(condition.Null ?? {}).length === 1 &&
    condition.Null?.[PROFILE_ARN_KEY] === "true"
  ) {
    models.profileOnly.push(...list(st.Resource));
    return true;
  }
  const mantleModels = condition.StringNotEquals?.[MANTLE_MODEL_KEY];
  if (
    st.Resource &&
    list(st.Resource).includes("*") &&
    actions.length > 0 &&
    actions.every((a) => a === MANTLE_INFERENCE) &&
    Object.keys(condition).length === 1 &&
    Object.keys(condition.StringNotEquals ?? {}).length === 1 &&
    mantleModels !== undefined
  ) {
    const ids = list(mantleModels);
    models.mantle = models.mantle === null ? [...new Set(ids)] : models.mantle.filter((id) => ids.includes(id));
    return true;
  }
  const cond = st.Condition ?? {};
  const keys = Object.keys(cond);
  if (everything && keys.length === 1 && keys[0] === "NotIpAddress" && cond.NotIpAddress?.["aws:SourceIp"] !== undefined) {
    out.cidrs = [...(out.cidrs ?? []), ...list(cond.NotIpAddress["aws:SourceIp"])];
    return true;
  }
  const when = cond.DateGreaterThan?.["aws:CurrentTime"];
  if (everything && keys.length === 1 && typeof when === "string" && /^\d{4}-\d{2}-\d{2}/.test(when)) {
    const day = when.slice(0, 10);
    if (!out.notAfter || day < out.notAfter) out.notAfter = day;
    return true;
  }
  return false;
}

/**
 * "may call: Claude 3.5 Haiku, from 10.0.0.0/8, until 2027-01-31", through a translator for the
 * "keyPolicy" message namespace (so every language gets its own sentence).
 */
/** The key restricts models on bedrock-runtime but not (or differently) on bedrock-mantle. */
/**
 * Whether bedrock-mantle is bound to the same models as the runtime. A policy read before the
 * console wrote mantle statements (mantleModels omitted) counts as matching: it is a preview.
 */
function mantleMatchesRuntime(p: ReadablePolicy): boolean {
  if (p.mantleModels === undefined) return true;
  const implied = p.models ? mantleModelIds(p.models.map((m) => m.id)) : null;
  const actual = p.mantleModels ? p.mantleModels.map((m) => m.id) : null;
  return implied === null || actual === null ? implied === actual : implied.length === actual.length && implied.every((id) => actual.includes(id));
}

/** The key restricts models on bedrock-runtime but not (or differently) on bedrock-mantle. */
export function mantleUnbound(p: ReadablePolicy): boolean {
  return p.models !== null && !mantleMatchesRuntime(p);
}

export function describeRestrictions(p: ReadablePolicy, t: (key: string, params?: Record<string, string>) => string): string {
  const labels = (models: { label: string }[]) => models.map((m) => m.label).join(", ") || t("noModel");
  const parts = [p.models ? t("mayCall", { models: labels(p.models) }) : t("anyModel")];
  // bedrock-mantle is bound only by its own statement: say so when it does not match the runtime's
  // (a key restricted before the console wrote it can call any model there).
  if (!mantleMatchesRuntime(p)) parts.push(p.mantleModels ? t("mantleMayCall", { models: labels(p.mantleModels) }) : t("mantleAnyModel"));
  if (p.cidrs) parts.push(t("fromRanges", { ranges: p.cidrs.join(", ") }));
  if (p.notAfter) parts.push(t("until", { date: p.notAfter }));
  return parts.join(", ");
}

/**
 * Whether the restriction policy fits in IAM's inline-policy budget for the key's user. IAM
 * refuses a larger PutUserPolicy (LimitExceeded) only after the user exists; checking first gives
 * the person a clear error on the form instead of a failed, undone issuance.
 */
export function restrictionPolicyFits(r: KeyRestrictions): boolean {
  const document = buildRestrictionPolicy(r);
  return document === null || policySize(document) <= USER_INLINE_POLICY_LIMIT;
}
