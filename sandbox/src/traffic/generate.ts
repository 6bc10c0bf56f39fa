/**
 * Realistic Bedrock API-key traffic against a running sandbox.
 *
 * Live calls go through the real HTTP endpoints (bearer keys, region prefix, X-Forwarded-For,
 * User-Agent), each made with the sandbox clock set to its moment in the last `days` days via
 * `/_sandbox/clock`, so CloudTrail records them exactly as it records any call, only backdated.
 * The clock is restored afterwards. Calls are sequential because the clock is global. For
 * volume beyond a few hundred calls, `bulk` records from `iterateEvents` (same builder, same
 * shape) are inserted through `POST /_sandbox/events`, attributed to the same identities.
 */
import { IAMClient, UpdateServiceSpecificCredentialCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { MODELS, stableHash } from "../bedrock/models.js";
import type { RuntimeOperation } from "../bedrock/trail.js";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "../state.js";
import { type SyntheticIdentity, iterateEvents, pickModel } from "./events.js";
import { createUnmanagedCallers, type GivenKey, type GivenSigner, givenCallers, signerCallers, type TrafficCaller } from "./identities.js";
import { callTimes, ipPool, MODEL_PREFERENCE, OPERATIONS, PROMPTS, REGIONS, SDK_USER_AGENTS, type TrafficApi } from "./profiles.js";
import { createRng, type Rng } from "./rng.js";
import { shortTermTokenAt, type SigningCredentials } from "./short-term.js";

export interface TrafficOptions {
  endpoint?: string;
  days?: number;
  /** Live HTTP calls (default 300). */
  calls?: number;
  /** Extra synthetic records bulk-inserted (default 0). */
  bulk?: number;
  /** Existing long-term keys to use (held in memory only; never logged or returned). */
  keys?: readonly (string | GivenKey)[];
  /** People who sign short-term keys with an existing role (e.g. the console's own). */
  signers?: readonly GivenSigner[];
  /** Console-style key users to create (default 5; 0 with given keys or signers only). */
  createUsers?: number;
  /**
   * Things that happen part-way through the window (a key disabled, say): each runs once, in
   * time order, when the traffic reaches its moment, with the sandbox clock set to that moment.
   */
  milestones?: readonly { at: number; run: () => Promise<void> }[];
  /**
   * Which doors calls go through, by share (default: the runtime's own APIs only). With
   * ALL_DOORS some calls use bedrock-runtime's /openai/v1 routes and bedrock-mantle.
   */
  apis?: readonly (readonly [TrafficApi, number])[];
  /**
   * Turns Bedrock model invocation logging on (CloudWatch Logs, metadata only unless
   * `textDataDeliveryEnabled`) in every region the calls may use, before the first call, through
   * `POST /_sandbox/bedrock/logging`; and gives live calls cost-realistic prompt sizes (a
   * document-sized context drawn per model family), so the records' token counts look like
   * production. Bulk records get matching invocation-log records either way where logging is on.
   */
  invocationLogging?: boolean | { logGroupName?: string; textDataDeliveryEnabled?: boolean };
  seed?: number;
  log?: (line: string) => void;
}

export interface TrafficSummary {
  calls: number;
  succeeded: number;
  errors: Record<string, number>;
  /** Live calls per door. */
  byApi: Partial<Record<TrafficApi, number>>;
  bulkInserted: number;
  callers: string[];
  from: string;
  to: string;
}

const PATHS: Record<RuntimeOperation, string> = {
  Converse: "converse",
  ConverseStream: "converse-stream",
  InvokeModel: "invoke",
  InvokeModelWithResponseStream: "invoke-with-response-stream",
};

/** The request body each operation and model family expects. */
function requestBody(operation: RuntimeOperation, modelId: string, prompt: string): unknown {
  if (operation === "Converse" || operation === "ConverseStream") {
    return { messages: [{ role: "user", content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 512, temperature: 0.5 } };
  }
  const family = MODELS.find((m) => modelId.endsWith(m.id))?.family ?? "anthropic";
  switch (family) {
    case "anthropic":
      return { anthropic_version: "bedrock-2023-05-31", max_tokens: 512, messages: [{ role: "user", content: prompt }] };
    case "nova":
      return { schemaVersion: "messages-v1", messages: [{ role: "user", content: [{ text: prompt }] }], inferenceConfig: { max_new_tokens: 512 } };
    case "meta":
      return { prompt: `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n${prompt}<|eot_id|>`, max_gen_len: 512 };
    case "titan":
      return { inputText: prompt, textGenerationConfig: { maxTokenCount: 512 } };
    case "mistral":
      return { prompt: `<s>[INST] ${prompt} [/INST]`, max_tokens: 512 };
  }
}

/** Median context size in characters (~4 per token) per model family, for cost-realistic calls. */
const CONTEXT_CHARS: Record<string, number> = { anthropic: 8000, nova: 3600, meta: 2800, titan: 1400, mistral: 3200 };
const FILLER = "The quarterly report lists revenue, costs and open items for each team and region. ";

/**
 * A document-sized preamble whose length follows a long-tailed spread around the family's
 * median. Drawn from a hash of the call (not the traffic's RNG), so seeded runs keep their sequence.
 */
function contextFor(modelId: string, key: string): string {
  const family = MODELS.find((m) => modelId.endsWith(m.id))?.family ?? "anthropic";
  const h = stableHash(`context|${key}`);
  const factor = [0.15, 0.4, 0.7, 1, 1, 1.3, 1.8, 3, 6][h % 9]!;
  const chars = Math.round(CONTEXT_CHARS[family]! * factor);
  return `${FILLER.repeat(Math.ceil(chars / FILLER.length)).slice(0, chars)}\n\n`;
}

/** Mantle serves in-Region foundation models; Anthropic models only on its Messages route. */
function pickMantleModel(rng: Rng, anthropic: boolean): string {
  const ids = MODELS.filter((m) => !m.endOfLife && (m.family === "anthropic") === anthropic).map((m) => m.id);
  const pattern = rng.weighted(MODEL_PREFERENCE);
  const matching = ids.filter((id) => pattern.test(id));
  return rng.pick(matching.length > 0 ? matching : ids);
}

/**
 * A call through an OpenAI- or Anthropic-compatible door, as the SDKs send it: the base URL of
 * the door, the API's body (a quarter of them streamed), the SDK's user agent and, for some
 * mantle callers, a Bedrock project.
 */
function sdkCall(
  rng: Rng,
  endpoint: string,
  region: string,
  api: Exclude<TrafficApi, "runtime">,
  model: string,
  prompt: string,
  callerLabel: string,
): { url: string; body: unknown; userAgent: string; headers: Record<string, string> } {
  const stream = rng.chance(0.25);
  const messages = [{ role: "user", content: prompt }];
  const base = api.startsWith("runtime-") ? `${endpoint}/bedrock-runtime/${region}/openai/v1` : `${endpoint}/bedrock-mantle/${region}`;
  // Half the mantle callers attribute their calls to a project of their own; the rest use the default.
  const project: Record<string, string> =
    api.startsWith("mantle-") && stableHash(callerLabel) % 2 === 0 ? { "openai-project": `proj_${stableHash(`project|${callerLabel}`).toString(36)}` } : {};
  switch (api) {
    case "runtime-chat":
    case "mantle-chat":
      return {
        url: api === "runtime-chat" ? `${base}/chat/completions` : `${base}/v1/chat/completions`,
        body: { model, messages, max_tokens: 512, ...(stream ? { stream, stream_options: { include_usage: true } } : {}) },
        userAgent: rng.weighted(SDK_USER_AGENTS.openai),
        headers: project,
      };
    case "runtime-responses":
    case "mantle-responses":
      return {
        url: api === "runtime-responses" ? `${base}/responses` : `${base}/v1/responses`,
        body: { model, input: prompt, max_output_tokens: 512, ...(stream ? { stream } : {}) },
        userAgent: rng.weighted(SDK_USER_AGENTS.openai),
        headers: project,
      };
    case "mantle-messages":
      return {
        url: `${base}/anthropic/v1/messages`,
        body: { model, max_tokens: 512, messages, ...(stream ? { stream } : {}) },
        userAgent: rng.weighted(SDK_USER_AGENTS.anthropic),
        headers: { "anthropic-version": "2023-06-01", ...project },
      };
  }
}

/** The error code in an OpenAI (`error.code`) or Anthropic (`error.type`) error body. */
function sdkErrorCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; type?: unknown } };
    const code = body.error?.code ?? body.error?.type;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

class Control {
  constructor(private readonly endpoint: string) {}
  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.endpoint + path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
  setClock(at: number) {
    return this.request("POST", "/_sandbox/clock", { set: new Date(at).toISOString() });
  }
}

export async function generateTraffic(opts: TrafficOptions = {}): Promise<TrafficSummary> {
  const endpoint = (opts.endpoint ?? "http://127.0.0.1:4566").replace(/\/+$/, "");
  const log = opts.log ?? (() => {});
  const rng = createRng(opts.seed ?? Date.now());
  const control = new Control(endpoint);
  const before = await control.request<{ clock: { now: string; offsetSeconds: number } }>("GET", "/_sandbox/state");
  const to = Date.parse(before.clock.now);
  const from = to - (opts.days ?? 30) * 86_400_000;
  const aws = { endpoint, region: "us-east-1", credentials: { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY }, maxAttempts: 1 };
  const iam = new IAMClient(aws);
  const sts = new STSClient(aws);
  const summary: TrafficSummary = { calls: 0, succeeded: 0, errors: {}, byApi: {}, bulkInserted: 0, callers: [], from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  try {
    const callers = [...givenCallers(rng, opts.keys ?? []), ...signerCallers(rng, opts.signers ?? [])];
    const createUsers = opts.createUsers ?? (callers.length > 0 ? 0 : 5);
    if (createUsers > 0) {
      // Keys are made a day before the window, so they exist before their first use.
      await control.setClock(from - 86_400_000);
      callers.push(...(await createUnmanagedCallers(iam, rng, createUsers, { from, to })));
    }
    if (callers.length === 0) throw new Error("no callers: pass keys or allow creating users");
    summary.callers = callers.map((c) => c.label);
    log(`callers: ${summary.callers.join(", ")}`);
    if (opts.invocationLogging) {
      const settings = typeof opts.invocationLogging === "object" ? opts.invocationLogging : {};
      const regions = new Set([...REGIONS, ...callers.flatMap((c) => c.regions ?? [])].map(([r]) => r));
      for (const region of regions) await control.request("POST", "/_sandbox/bedrock/logging", { region, ...settings });
      log(`invocation logging on in ${[...regions].join(", ")}`);
    }
    const sessions = new Map<string, { creds: SigningCredentials; expires: number }>();
    const milestones = [...(opts.milestones ?? [])].sort((a, b) => a.at - b.at);
    const reach = async (at: number) => {
      while (milestones.length > 0 && milestones[0]!.at <= at) {
        const m = milestones.shift()!;
        await control.setClock(m.at);
        await m.run();
      }
    };
    for (const at of callTimes(rng, opts.calls ?? 300, from, to)) {
      await reach(at);
      await control.setClock(at);
      for (const c of callers) {
        if (c.disableAtMs !== undefined && at >= c.disableAtMs && c.credentialId) {
          await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: c.userName, ServiceSpecificCredentialId: c.credentialId, Status: "Inactive" }));
          log(`disabled ${c.label} at ${new Date(at).toISOString()}`);
          delete c.disableAtMs;
        }
      }
      const active = callers.filter((c) => c.activeFrom === undefined || c.activeFrom <= at);
      if (active.length === 0) continue;
      const caller = rng.weighted(active.map((c) => [c, c.weight] as const));
      const region = rng.weighted(caller.regions ?? REGIONS);
      // Drawn only when asked for, so seeded runs of the runtime-only default stay as they were.
      const api: TrafficApi = opts.apis ? rng.weighted(opts.apis) : "runtime";
      const operation = rng.weighted(OPERATIONS);
      let modelId = api.startsWith("mantle-") ? pickMantleModel(rng, api === "mantle-messages") : pickModel(rng, region);
      if (caller.onlyModels && rng.chance(1 - (caller.strayShare ?? 0.3))) {
        const draw = () => (api.startsWith("mantle-") ? pickMantleModel(rng, api === "mantle-messages") : pickModel(rng, region));
        const allowed = [...Array(8)].map(draw).find((m) => caller.onlyModels!.test(m));
        if (allowed) modelId = allowed;
      }
      if (rng.chance(0.02)) modelId = modelId.replace(/-v\d+(:\d+)?$/, ""); // a typo'd id: ValidationException
      if (rng.chance(0.01)) {
        const [service, op] = api === "runtime" ? ["bedrock", operation] : api.startsWith("runtime-") ? ["bedrock-runtime", api === "runtime-chat" ? "CreateChatCompletion" : "CreateResponse"] : ["bedrock-mantle", "CreateInference"];
        await control.request("POST", "/_sandbox/faults", {
          service,
          operation: op,
          count: 1,
          error: { code: "ThrottlingException", status: 429, message: "Too many requests, please wait before trying again." },
        });
      }
      const token = await tokenFor(caller, region, at, sts, sessions);
      const call = api === "runtime"
        ? {
            url: `${endpoint}/bedrock-runtime/${region}/model/${encodeURIComponent(modelId)}/${PATHS[operation]}`,
            body: requestBody(operation, modelId, (opts.invocationLogging ? contextFor(modelId, `${caller.label}|${at}`) : "") + rng.pick(PROMPTS)),
            userAgent: caller.userAgent,
            headers: {} as Record<string, string>,
          }
        : sdkCall(rng, endpoint, region, api, modelId, rng.pick(PROMPTS), caller.label);
      const res = await fetch(call.url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "user-agent": call.userAgent,
          "x-forwarded-for": rng.chance(0.93) ? rng.pick(caller.ips) : ipPool(rng, 1)[0]!,
          ...call.headers,
        },
        body: JSON.stringify(call.body),
      });
      const text = await res.text();
      summary.calls += 1;
      summary.byApi[api] = (summary.byApi[api] ?? 0) + 1;
      if (res.ok) summary.succeeded += 1;
      else {
        const code = (res.headers.get("x-amzn-errortype") ?? sdkErrorCode(text) ?? `HTTP${res.status}`).split(":")[0]!;
        summary.errors[code] = (summary.errors[code] ?? 0) + 1;
      }
    }
    await reach(Number.POSITIVE_INFINITY);
    if (opts.bulk && opts.bulk > 0) summary.bulkInserted = await insertBulk(control, opts.bulk, from, to, rng.int(1, 2 ** 31), opts.apis);
  } finally {
    await control.request("POST", "/_sandbox/clock", { offsetSeconds: before.clock.offsetSeconds }).catch(() => undefined);
    iam.destroy();
    sts.destroy();
  }
  log(describeTraffic(summary));
  return summary;
}

/** One readable line: "312 calls (290 ok; 14 AccessDeniedException, …) by 9 callers, 2026-11-05 … 2026-12-05". */
export function describeTraffic(s: TrafficSummary): string {
  const errors = Object.entries(s.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${n} ${code}`);
  const bulk = s.bulkInserted > 0 ? `, ${s.bulkInserted} bulk records` : "";
  return `${s.calls} calls (${s.succeeded} ok${errors.length ? `; ${errors.join(", ")}` : ""})${bulk} by ${s.callers.length} callers, ${s.from.slice(0, 10)} … ${s.to.slice(0, 10)}`;
}

/** A bearer key for this call: the long-term key, or a fresh short-term key from the person's session. */
async function tokenFor(
  caller: TrafficCaller,
  region: string,
  at: number,
  sts: STSClient,
  sessions: Map<string, { creds: SigningCredentials; expires: number }>,
): Promise<string> {
  if (caller.kind === "long-term") return caller.apiKey!;
  let session = sessions.get(caller.person!);
  if (!session || session.expires - at < 10 * 60_000) {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: caller.roleArn, RoleSessionName: caller.person, SourceIdentity: caller.person }));
    const c = out.Credentials!;
    session = {
      creds: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      expires: c.Expiration!.getTime(),
    };
    sessions.set(caller.person!, session);
  }
  return shortTermTokenAt(session.creds, region, new Date(at), 3_600);
}

/** Bulk records attributed to the identities that exist in the sandbox (users and signer role). */
async function insertBulk(control: Control, n: number, from: number, to: number, seed: number, apis?: TrafficOptions["apis"]): Promise<number> {
  const state = await control.request<{
    users: { userName: string; userId: string }[];
    roles: { roleName: string; roleId: string }[];
    sessions: { roleName: string; sessionName: string; sourceIdentity?: string }[];
  }>("GET", "/_sandbox/state");
  const identities: SyntheticIdentity[] = state.users.map((u) => ({ type: "user", userName: u.userName, userId: u.userId }));
  for (const s of new Map(state.sessions.map((s) => [`${s.roleName}/${s.sessionName}`, s])).values()) {
    const role = state.roles.find((r) => r.roleName === s.roleName);
    if (role) identities.push({ type: "assumed-role", roleName: role.roleName, roleId: role.roleId, sessionName: s.sessionName, ...(s.sourceIdentity ? { sourceIdentity: s.sourceIdentity } : {}) });
  }
  let inserted = 0;
  let batch: unknown[] = [];
  const flush = async () => {
    inserted += (await control.request<{ inserted: number }>("POST", "/_sandbox/events", batch)).inserted;
    // Their invocation-log records too (written only where the account has logging on).
    await control.request("POST", "/_sandbox/bedrock/invocation-logs", batch);
    batch = [];
  };
  for (const record of iterateEvents(n, { from, to, seed, ...(apis ? { apis } : {}), ...(identities.length > 0 ? { identities } : {}) })) {
    batch.push(record);
    if (batch.length === 5_000) await flush();
  }
  if (batch.length > 0) await flush();
  return inserted;
}
