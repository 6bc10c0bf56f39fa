/**
 * CloudTrail record → normalized usage row. Pure (no I/O), so the mapping from AWS's shapes is
 * unit-tested on its own. Shapes: ../shared/notes/bedrock-reference.md ("CloudTrail").
 */

/** The Bedrock runtime operations an API key can call and CloudTrail records. */
export const RUNTIME_EVENT_NAMES = ["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"] as const;
/** bedrock-runtime's OpenAI-compatible routes (/openai/v1/chat/completions, /openai/v1/responses). */
export const RUNTIME_OPENAI_EVENT_NAMES = ["CreateChatCompletion", "CreateResponse"] as const;
export const BEDROCK_EVENT_SOURCE = "bedrock.amazonaws.com";
/** The bedrock-mantle endpoint (OpenAI- and Anthropic-compatible APIs), AWS's "Monitor bedrock-mantle API calls using CloudTrail". */
export const MANTLE_EVENT_SOURCE = "bedrock-mantle.amazonaws.com";

/**
 * The door a call came through (issue 19). "other" is a bedrock-mantle event the console does not
 * know yet: kept and shown, never dropped, so a key used only that way does not look unused.
 */
export const APIS = ["converse", "invoke_model", "chat_completions", "responses", "messages", "models", "other"] as const;
export type Api = (typeof APIS)[number];
export const ENDPOINTS = ["runtime", "mantle"] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

const RUNTIME_API: Record<string, Api> = {
  Converse: "converse",
  ConverseStream: "converse",
  InvokeModel: "invoke_model",
  InvokeModelWithResponseStream: "invoke_model",
  CreateChatCompletion: "chat_completions",
  CreateResponse: "responses",
};

/**
 * A bedrock-mantle record's API. CreateInference serves Chat Completions, Responses and Messages
 * alike; AWS records each route's own request parameters, so the keys tell them apart: Messages
 * carries max_tokens, Responses previousResponse, Chat Completions neither.
 */
function mantleApi(eventName: string, params: Json): Api {
  if (eventName === "ListModels" || eventName === "GetModel") return "models";
  if (eventName !== "CreateInference") return "other";
  if ("max_tokens" in params) return "messages";
  if ("previousResponse" in params) return "responses";
  return "chat_completions";
}

export type IdentityType = "long-term" | "short-term";
export type CallResult = "success" | "error";

export interface NormalizedEvent {
  eventId: string;
  eventTime: Date;
  /** UTC day, YYYY-MM-DD */
  day: string;
  region: string;
  inferenceRegion: string;
  eventName: string;
  modelId: string;
  identityType: IdentityType;
  principalArn: string;
  principalName: string;
  sourceIdentity: string | null;
  accessKeyId: string | null;
  subject: string;
  sourceIp: string;
  userAgent: string;
  errorCode: string | null;
  errorMessage: string | null;
  result: CallResult;
  keyRefused: boolean;
  api: Api;
  endpoint: Endpoint;
  /** Bedrock project id (mantle), "" when none. */
  project: string;
}

type Json = Record<string, unknown>;

export const obj = (v: unknown): Json | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
export const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
// Bounded so one odd record cannot bloat the table; CloudTrail's own values are far shorter.
const clip = (v: string | undefined, max: number) => (v === undefined ? undefined : v.length > max ? v.slice(0, max) : v);

/**
 * Who a call is attributed to, as a stable string (the rollups' and the scope's unit):
 * - `key:<IAM user>` — a long-term key (CloudTrail shows its IAM user; with one user per key, the key);
 * - `identity:<source identity>` — a short-term key signed by a role session with a SourceIdentity
 *   (the console names sessions after the person, so this is the person);
 * - `session:<role>/<session>` — a role session without SourceIdentity (not made by the console);
 * - `user:<IAM user>` — a short-term key signed with an IAM user's access key;
 * - `principal:<arn>` — anything else (e.g. the account root).
 */
export function subjectOf(n: Pick<NormalizedEvent, "identityType" | "principalName" | "principalArn" | "sourceIdentity">, roleName?: string, identityKind?: string): string {
  if (n.identityType === "long-term") return `key:${n.principalName}`;
  if (n.sourceIdentity) return `identity:${n.sourceIdentity}`;
  if (identityKind === "AssumedRole" && roleName) return `session:${roleName}/${n.principalName}`;
  if (identityKind === "IAMUser" && n.principalName) return `user:${n.principalName}`;
  return `principal:${n.principalArn || "unknown"}`;
}

export type SubjectKind = "key" | "identity" | "session" | "user" | "principal";

export function subjectKind(subject: string): SubjectKind {
  const kind = subject.slice(0, subject.indexOf(":"));
  return kind === "key" || kind === "identity" || kind === "session" || kind === "user" ? kind : "principal";
}

/** The part after the prefix: IAM user name, source identity, role/session or ARN. */
export function subjectName(subject: string): string {
  return subject.slice(subject.indexOf(":") + 1);
}

/** A genuine long-term key refused at authentication: the key is disabled or expired. */
const KEY_REFUSED_MESSAGE = /^Authentication failed/i;

/**
 * The usage row for one CloudTrail record, or null when the record is not a Bedrock runtime call
 * made with an API key (other Bedrock events, SigV4-signed calls, anything malformed).
 * `lookupRegion` is the region the record was listed in (used if the record lacks awsRegion).
 */
export function normalizeRecord(record: unknown, lookupRegion: string): NormalizedEvent | null {
  const r = obj(record);
  if (!r) return null;
  const eventName = str(r.eventName);
  if (!eventName) return null;
  const params = obj(r.requestParameters) ?? {};
  let api: Api;
  let endpoint: Endpoint;
  let modelId: string | undefined;
  if (r.eventSource === BEDROCK_EVENT_SOURCE) {
    const known = RUNTIME_API[eventName];
    if (!known) return null; // control-plane and other Bedrock events are not key usage
    // Only calls made with an API key; IAM-signed calls to the same operations are not key usage.
    if (obj(r.additionalEventData)?.callWithBearerToken !== true) return null;
    api = known;
    endpoint = "runtime";
    modelId = str(params.modelId);
  } else if (r.eventSource === MANTLE_EVENT_SOURCE) {
    // bedrock-mantle adds callWithBearerToken to requestParameters of every event it records.
    if (params.callWithBearerToken !== true) return null;
    api = mantleApi(eventName, params);
    endpoint = "mantle";
    modelId = str(params.model);
  } else return null;
  const eventId = str(r.eventID);
  const time = str(r.eventTime);
  const eventTime = time ? new Date(time) : undefined;
  if (!eventId || !eventTime || Number.isNaN(eventTime.getTime())) return null;

  const identity = obj(r.userIdentity) ?? {};
  const kind = str(identity.type);
  const accessKeyId = str(identity.accessKeyId) ?? null;
  const sessionContext = obj(identity.sessionContext);
  const issuer = obj(sessionContext?.sessionIssuer);
  const principalArn = str(identity.arn) ?? "";
  // A long-term key is its IAM user calling without an access key or session; every other shape
  // (role session, user-signed token, root) is a short-term key signed by that principal.
  const identityType: IdentityType = kind === "IAMUser" && !accessKeyId && !sessionContext ? "long-term" : "short-term";
  const principalName =
    kind === "AssumedRole" ? (principalArn.split("/").pop() ?? "") : (str(identity.userName) ?? principalArn.split("/").pop() ?? "");
  const sourceIdentity = str(sessionContext?.sourceIdentity) ?? null;
  const errorCode = clip(str(r.errorCode), 200) ?? null;
  const errorMessage = clip(str(r.errorMessage), 2000) ?? null;
  const base = { identityType, principalName, principalArn, sourceIdentity };
  return {
    eventId: eventId.slice(0, 128),
    eventTime,
    day: utcDay(eventTime),
    region: str(r.awsRegion) ?? lookupRegion,
    inferenceRegion: str(obj(r.additionalEventData)?.inferenceRegion) ?? "",
    eventName: eventName.slice(0, 128),
    modelId: clip(modelId, 512) ?? "",
    ...base,
    accessKeyId,
    subject: subjectOf(base, str(issuer?.userName), kind),
    sourceIp: clip(str(r.sourceIPAddress), 128) ?? "",
    userAgent: clip(str(r.userAgent), 1000) ?? "",
    errorCode,
    errorMessage,
    result: errorCode ? "error" : "success",
    keyRefused: identityType === "long-term" && errorCode === "AccessDeniedException" && KEY_REFUSED_MESSAGE.test(errorMessage ?? ""),
    api,
    endpoint,
    project: endpoint === "mantle" ? projectOf(r) : "",
  };
}

/** The project a mantle call named: its id from the AWS::BedrockMantle::Project resource ARN ("" for none or the default). */
function projectOf(r: Json): string {
  const resources = Array.isArray(r.resources) ? r.resources : [];
  for (const res of resources) {
    const arn = str(obj(res)?.ARN);
    const id = arn?.match(/:project\/([^/]+)$/)?.[1];
    if (id && id !== "default") return id.slice(0, 128);
  }
  return "";
}

/** YYYY-MM-DD of a date in UTC (the console shows and groups usage in UTC, like the audit log). */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
