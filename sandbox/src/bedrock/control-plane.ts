/**
 * Bedrock's control plane (restJson1, SigV4 service `bedrock`, host `bedrock.<region>.amazonaws.com`
 * or a `/bedrock/<region>` path prefix): the model catalogue (ListFoundationModels,
 * GetFoundationModel), system-defined inference profiles (ListInferenceProfiles,
 * GetInferenceProfile) and model invocation logging (Get/Put/DeleteModelInvocationLoggingConfiguration),
 * per account and region. Authorized as `bedrock:<Operation>` through the IAM evaluator and
 * recorded in CloudTrail as management events from bedrock.amazonaws.com.
 */
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { now } from "../clock.js";
import { apiCallRecord, recordEvent } from "../cloudtrail/record.js";
import { authenticate, type IncomingApiRequest } from "../aws-api.js";
import { sleep, takeFault } from "../control/faults.js";
import { AwsError } from "../http.js";
import { authorize } from "../iam/authorize.js";
import type { Principal } from "../iam/credentials.js";
import { getGroup } from "../logs/store.js";
import type { SandboxState } from "../state.js";
import { type CatalogueModel, type Geography, GEOGRAPHY_REGIONS, MODELS } from "./models.js";
import { RuntimeError, sendError, sendJsonBody } from "./respond.js";

/** A control-plane request: Host `bedrock.<region>…` or a `/bedrock/<region>` prefix (stripped). */
export function controlPlaneRoute(host: string, path: string, headers: Record<string, string>): { region?: string; path: string } | null {
  const h = /^bedrock\.([a-z0-9-]+)\.(?:amazonaws\.com|localhost)(?::\d+)?$/i.exec(host);
  const p = /^\/bedrock\/([a-z0-9-]+)(\/.*)?$/.exec(path);
  const rest = p ? (p[2] ?? "/") : path;
  if (!/^\/(foundation-models|inference-profiles|logging\/modelinvocations)(\/|$)/.test(rest)) return null;
  // Without a host or prefix, only requests signed for `bedrock` are ours (S3 has buckets too).
  const signedForBedrock = /Credential=[^/]+\/\d{8}\/[^/]+\/bedrock\/aws4_request/.test(headers.authorization ?? "");
  if (!h && !p && !signedForBedrock) return null;
  return { ...(h ? { region: h[1]! } : p ? { region: p[1]! } : {}), path: rest };
}

const PROVIDER: Record<CatalogueModel["family"], string> = { anthropic: "Anthropic", meta: "Meta", titan: "Amazon", nova: "Amazon", mistral: "Mistral AI" };

/** Models the catalogue lists but the runtime does not generate text with (embeddings, images). */
interface ListedOnly {
  id: string;
  name: string;
  provider: string;
  input: string[];
  output: string[];
}
const NON_TEXT_MODELS: readonly ListedOnly[] = [
  { id: "amazon.titan-embed-text-v2:0", name: "Titan Text Embeddings V2", provider: "Amazon", input: ["TEXT"], output: ["EMBEDDING"] },
  { id: "cohere.embed-english-v3", name: "Embed English", provider: "Cohere", input: ["TEXT"], output: ["EMBEDDING"] },
  { id: "amazon.nova-canvas-v1:0", name: "Nova Canvas", provider: "Amazon", input: ["TEXT", "IMAGE"], output: ["IMAGE"] },
];

const HOME_REGIONS = ["us-east-1", "us-west-2"];

/** Where a foundation model exists: its profiles' geographies, plus the two big US regions. */
function regionsOf(m: CatalogueModel): Set<string> {
  const set = new Set(HOME_REGIONS);
  for (const g of m.profiles) if (g !== "global") for (const r of GEOGRAPHY_REGIONS[g]) set.add(r);
  return set;
}

const fmArn = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;

function inputModalities(m: CatalogueModel): string[] {
  if (m.family === "anthropic") return m.id.includes("claude-3-5-haiku") ? ["TEXT"] : ["TEXT", "IMAGE"];
  if (m.id.includes("nova-lite") || m.id.includes("nova-pro") || m.id.includes("nova-2")) return ["TEXT", "IMAGE", "VIDEO"];
  return ["TEXT"];
}

/** FoundationModelSummary / FoundationModelDetails, as ListFoundationModels answers them. */
export function foundationModels(region: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of MODELS) {
    if (m.endOfLife || !regionsOf(m).has(region)) continue;
    out.push({
      modelArn: fmArn(region, m.id),
      modelId: m.id,
      modelName: m.name,
      providerName: PROVIDER[m.family],
      inputModalities: inputModalities(m),
      outputModalities: ["TEXT"],
      responseStreamingSupported: true,
      customizationsSupported: m.family === "titan" || m.id.includes("nova-micro") ? ["FINE_TUNING"] : [],
      // Models only callable through a profile show INFERENCE_PROFILE, as Bedrock lists them.
      inferenceTypesSupported: m.onDemand ? ["ON_DEMAND"] : ["INFERENCE_PROFILE"],
      modelLifecycle: { status: m.legacy ? "LEGACY" : "ACTIVE" },
    });
  }
  if (HOME_REGIONS.includes(region)) {
    for (const m of NON_TEXT_MODELS) {
      out.push({
        modelArn: fmArn(region, m.id),
        modelId: m.id,
        modelName: m.name,
        providerName: m.provider,
        inputModalities: m.input,
        outputModalities: m.output,
        ...(m.output.includes("EMBEDDING") ? {} : { responseStreamingSupported: false }),
        customizationsSupported: [],
        inferenceTypesSupported: ["ON_DEMAND"],
        modelLifecycle: { status: "ACTIVE" },
      });
    }
  }
  return out;
}

const GEO_LABEL: Record<Geography, string> = { us: "US", eu: "EU", apac: "APAC", global: "Global" };
const PROFILE_CREATED = "2024-08-27T00:00:00Z";

/** System-defined inference profiles callable from `region` (InferenceProfileSummary). */
export function inferenceProfiles(region: string, accountId: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of MODELS) {
    if (m.endOfLife) continue;
    for (const geo of m.profiles) {
      const regions = GEOGRAPHY_REGIONS[geo];
      if (!regions.includes(region)) continue;
      const id = `${geo}.${m.id}`;
      const provider = PROVIDER[m.family];
      out.push({
        inferenceProfileName: `${GEO_LABEL[geo]} ${provider} ${m.name}`,
        description: geo === "global"
          ? `Routes requests to ${provider} ${m.name} in any commercial AWS Region.`
          : `Routes requests to ${provider} ${m.name} in ${regions.join(", ")}.`,
        createdAt: PROFILE_CREATED,
        updatedAt: PROFILE_CREATED,
        inferenceProfileArn: `arn:aws:bedrock:${region}:${accountId}:inference-profile/${id}`,
        models: regions.map((r) => ({ modelArn: fmArn(r, m.id) })),
        inferenceProfileId: id,
        status: "ACTIVE",
        type: "SYSTEM_DEFINED",
      });
    }
  }
  return out;
}

/** The account's invocation-logging configuration in a region (PutModelInvocationLoggingConfiguration). */
export interface LoggingConfig {
  cloudWatchConfig?: { logGroupName: string; roleArn: string; largeDataDeliveryS3Config?: { bucketName: string; keyPrefix?: string } };
  s3Config?: { bucketName: string; keyPrefix?: string };
  textDataDeliveryEnabled?: boolean;
  imageDataDeliveryEnabled?: boolean;
  embeddingDataDeliveryEnabled?: boolean;
  videoDataDeliveryEnabled?: boolean;
  audioDataDeliveryEnabled?: boolean;
}

const LOGGING_KEY = "bedrockInvocationLogging";

function loggingConfigs(state: SandboxState): Record<string, LoggingConfig> {
  let c = state.extensions[LOGGING_KEY] as Record<string, LoggingConfig> | undefined;
  if (!c || typeof c !== "object") state.extensions[LOGGING_KEY] = c = {};
  return c;
}

export function getLoggingConfig(state: SandboxState, region: string): LoggingConfig | undefined {
  const all = loggingConfigs(state);
  return Object.prototype.hasOwnProperty.call(all, region) ? all[region] : undefined;
}

export function setLoggingConfig(state: SandboxState, region: string, config: LoggingConfig | undefined): void {
  const all = loggingConfigs(state);
  if (config) all[region] = config;
  else delete all[region];
  state.onChange?.();
}

const DELIVERY_FLAGS = ["textDataDeliveryEnabled", "imageDataDeliveryEnabled", "embeddingDataDeliveryEnabled", "videoDataDeliveryEnabled", "audioDataDeliveryEnabled"] as const;

/** A role Bedrock may assume: its trust policy allows bedrock.amazonaws.com sts:AssumeRole. */
function trustsBedrock(doc: string): boolean {
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(doc) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return statements.some((s) => {
    const st = s as { Effect?: string; Principal?: { Service?: unknown }; Action?: unknown };
    const services = ([] as unknown[]).concat(st?.Principal?.Service ?? []);
    const actions = ([] as unknown[]).concat(st?.Action ?? []);
    return st?.Effect === "Allow" && services.includes("bedrock.amazonaws.com") && actions.some((a) => a === "sts:AssumeRole" || a === "sts:*" || a === "*");
  });
}

/** Checks what Bedrock checks when logging is configured, with its message for each failure. */
export function validateLoggingConfig(state: SandboxState, region: string, raw: unknown): LoggingConfig {
  const invalid = (m: string) => new RuntimeError("ValidationException", m);
  if (!raw || typeof raw !== "object") throw invalid("1 validation error detected: Value null at 'loggingConfig' failed to satisfy constraint: Member must not be null");
  const c = raw as Record<string, unknown>;
  const config: LoggingConfig = {};
  for (const f of DELIVERY_FLAGS) {
    if (c[f] === undefined) continue;
    if (typeof c[f] !== "boolean") throw invalid(`${f} must be a boolean`);
    config[f] = c[f];
  }
  if (c.cloudWatchConfig !== undefined) {
    const cw = c.cloudWatchConfig as Record<string, unknown>;
    if (!cw || typeof cw.logGroupName !== "string" || typeof cw.roleArn !== "string") {
      throw invalid("cloudWatchConfig needs logGroupName and roleArn");
    }
    const failed = () => invalid(`Failed to validate permissions for log group: ${cw.logGroupName as string}, with role: ${cw.roleArn as string}. Verify the IAM role permissions are correct.`);
    if (!getGroup(state, region, cw.logGroupName)) throw failed();
    const role = [...state.roles.values()].find((r) => r.arn === cw.roleArn);
    if (!role || !trustsBedrock(role.assumeRolePolicyDocument)) throw failed();
    const large = cw.largeDataDeliveryS3Config as Record<string, unknown> | undefined;
    config.cloudWatchConfig = {
      logGroupName: cw.logGroupName,
      roleArn: cw.roleArn,
      ...(large && typeof large.bucketName === "string" ? { largeDataDeliveryS3Config: { bucketName: large.bucketName, ...(typeof large.keyPrefix === "string" ? { keyPrefix: large.keyPrefix } : {}) } } : {}),
    };
  }
  if (c.s3Config !== undefined) {
    const s3 = c.s3Config as Record<string, unknown>;
    if (!s3 || typeof s3.bucketName !== "string") throw invalid("s3Config needs bucketName");
    config.s3Config = { bucketName: s3.bucketName, ...(typeof s3.keyPrefix === "string" ? { keyPrefix: s3.keyPrefix } : {}) };
  }
  if (!config.cloudWatchConfig && !config.s3Config) throw invalid("At least one logging destination (cloudWatchConfig or s3Config) must be specified.");
  return config;
}

interface Route {
  operation: string;
  readOnly: boolean;
  /** The resource IAM authorizes (`*` for account-level operations). */
  resource: (state: SandboxState, region: string) => string;
  run: (c: { state: SandboxState; region: string; query: URLSearchParams; body: Buffer; principal: Principal; req: IncomingApiRequest }) => unknown;
  param?: string;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const v = body.length > 0 ? (JSON.parse(body.toString("utf8")) as unknown) : {};
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new RuntimeError("ValidationException", "Malformed input request, please reformat your input and try again.");
}

function matchRoute(method: string, path: string): (Route & { id?: string }) | null {
  const p = path.replace(/\/+$/, "") || "/";
  if (method === "GET" && p === "/foundation-models") {
    return {
      operation: "ListFoundationModels",
      readOnly: true,
      resource: () => "*",
      run: ({ region, query }) => {
        const provider = query.get("byProvider");
        const output = query.get("byOutputModality");
        const inference = query.get("byInferenceType");
        const customization = query.get("byCustomizationType");
        if (output && !["TEXT", "IMAGE", "EMBEDDING"].includes(output)) throw new RuntimeError("ValidationException", `1 validation error detected: Value '${output}' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]`);
        if (inference && !["ON_DEMAND", "PROVISIONED"].includes(inference)) throw new RuntimeError("ValidationException", `1 validation error detected: Value '${inference}' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]`);
        const models = foundationModels(region).filter((m) =>
          (!provider || String(m.providerName).toLowerCase() === provider.toLowerCase()) &&
          (!output || (m.outputModalities as string[]).includes(output)) &&
          (!inference || (m.inferenceTypesSupported as string[]).includes(inference)) &&
          (!customization || (m.customizationsSupported as string[]).includes(customization)),
        );
        return { modelSummaries: models };
      },
    };
  }
  const fm = /^\/foundation-models\/([^/]+)$/.exec(p);
  if (method === "GET" && fm) {
    const id = decodeSegment(fm[1]!).replace(/^arn:aws:bedrock:[a-z0-9-]+::foundation-model\//, "");
    return {
      operation: "GetFoundationModel",
      readOnly: true,
      resource: (_s, region) => fmArn(region, id),
      run: ({ region }) => {
        const m = foundationModels(region).find((x) => x.modelId === id);
        if (!m) throw new RuntimeError("ResourceNotFoundException", "The specified model identifier is not found.");
        return { modelDetails: m };
      },
    };
  }
  if (method === "GET" && p === "/inference-profiles") {
    return {
      operation: "ListInferenceProfiles",
      readOnly: true,
      resource: () => "*",
      run: ({ state, region, query }) => {
        const type = query.get("type");
        if (type && type !== "SYSTEM_DEFINED" && type !== "APPLICATION") throw new RuntimeError("ValidationException", `1 validation error detected: Value '${type}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]`);
        const maxRaw = query.get("maxResults");
        const max = maxRaw === null ? 1000 : Number(maxRaw);
        if (!Number.isInteger(max) || max < 1 || max > 1000) throw new RuntimeError("ValidationException", `1 validation error detected: Value '${maxRaw}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`);
        // The sandbox has no application profiles (CreateInferenceProfile is not emulated).
        const all = type === "APPLICATION" ? [] : inferenceProfiles(region, state.accountId);
        const token = query.get("nextToken");
        let start = 0;
        if (token !== null) {
          const m = /^p(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
          if (!m) throw new RuntimeError("ValidationException", "The provided nextToken is invalid.");
          start = Number(m[1]);
        }
        const page = all.slice(start, start + max);
        const next = start + max < all.length ? Buffer.from(`p${start + max}`).toString("base64url") : undefined;
        return { inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) };
      },
    };
  }
  const ip = /^\/inference-profiles\/([^/]+)$/.exec(p);
  if (method === "GET" && ip) {
    const raw = decodeSegment(ip[1]!);
    const id = raw.replace(/^arn:aws:bedrock:[a-z0-9-]+:\d{12}:inference-profile\//, "");
    return {
      operation: "GetInferenceProfile",
      readOnly: true,
      resource: (state, region) => `arn:aws:bedrock:${region}:${state.accountId}:inference-profile/${id}`,
      run: ({ state, region }) => {
        const profile = inferenceProfiles(region, state.accountId).find((x) => x.inferenceProfileId === id || x.inferenceProfileArn === raw);
        if (!profile) throw new RuntimeError("ResourceNotFoundException", "Inference profile not found.");
        return profile;
      },
    };
  }
  if (p === "/logging/modelinvocations") {
    if (method === "GET") {
      return {
        operation: "GetModelInvocationLoggingConfiguration",
        readOnly: true,
        resource: () => "*",
        run: ({ state, region }) => {
          const c = getLoggingConfig(state, region);
          return c ? { loggingConfig: c } : {};
        },
      };
    }
    if (method === "PUT") {
      return {
        operation: "PutModelInvocationLoggingConfiguration",
        readOnly: false,
        resource: () => "*",
        run: ({ state, region, body, principal, req }) => {
          const config = validateLoggingConfig(state, region, parseJson(body).loggingConfig);
          // Handing Bedrock the role needs iam:PassRole on it, as on AWS.
          if (config.cloudWatchConfig) {
            authorize(state, { principal, action: "iam:PassRole", resource: config.cloudWatchConfig.roleArn, sourceIp: req.sourceIp, userAgent: req.headers["user-agent"] ?? "", region, extra: { "iam:PassedToService": "bedrock.amazonaws.com" } });
          }
          setLoggingConfig(state, region, config);
          return {};
        },
      };
    }
    if (method === "DELETE") {
      return {
        operation: "DeleteModelInvocationLoggingConfiguration",
        readOnly: false,
        resource: () => "*",
        run: ({ state, region }) => {
          setLoggingConfig(state, region, undefined);
          return {};
        },
      };
    }
  }
  return null;
}

export async function handleBedrockControlPlane(state: SandboxState, req: IncomingApiRequest, path: string, res: http.ServerResponse): Promise<void> {
  const requestId = randomUUID();
  let principal: Principal | undefined;
  let region = "us-east-1";
  let route: ReturnType<typeof matchRoute> = null;
  let failure: RuntimeError | undefined;
  let requestParameters: Record<string, unknown> | null = null;
  try {
    const auth = await authenticate(state, req).catch((e: unknown) => {
      const err = e as AwsError;
      const code = { InvalidClientTokenId: "UnrecognizedClientException", SignatureDoesNotMatch: "InvalidSignatureException", ExpiredToken: "ExpiredTokenException", MissingAuthenticationToken: "MissingAuthenticationTokenException" }[err.code];
      throw new RuntimeError(code ?? err.code, err.message);
    });
    principal = auth.principal;
    region = auth.region;
    route = matchRoute(req.method, path);
    if (!route) throw new RuntimeError("UnknownOperationException", "The requested operation is not recognized by the service.");
    requestParameters = Object.fromEntries(req.query);
    if (route.operation === "PutModelInvocationLoggingConfiguration") {
      // CloudTrail shows the configuration that was put (names and ARNs, nothing secret).
      try {
        requestParameters = { loggingConfig: (JSON.parse(req.body.toString("utf8")) as { loggingConfig?: unknown }).loggingConfig ?? null };
      } catch {
        requestParameters = null;
      }
    }
    try {
      authorize(state, { principal, action: `bedrock:${route.operation}`, resource: route.resource(state, region), sourceIp: req.sourceIp, userAgent: req.headers["user-agent"] ?? "", region });
    } catch (e) {
      throw new RuntimeError("AccessDeniedException", (e as Error).message);
    }
    const fault = takeFault(state, "bedrock", route.operation);
    if (fault) {
      await sleep(fault.latencyMs);
      if (fault.error) throw new RuntimeError(fault.error.code, fault.error.message, fault.error.status);
    }
    let out: unknown;
    try {
      out = route.run({ state, region, query: req.query, body: req.body, principal, req });
    } catch (e) {
      if (e instanceof AwsError && e.code === "AccessDenied") throw new RuntimeError("AccessDeniedException", e.message);
      throw e;
    }
    sendJsonBody(res, requestId, out);
  } catch (e) {
    failure = e instanceof RuntimeError ? e : new RuntimeError("InternalServerException", "Internal server error");
    if (!(e instanceof RuntimeError)) console.error("sandbox: unexpected error in Bedrock control plane", e);
    sendError(res, requestId, failure);
  } finally {
    if (principal && route) {
      recordEvent(
        state,
        apiCallRecord(state, {
          principal,
          eventSource: "bedrock.amazonaws.com",
          eventName: route.operation,
          region,
          sourceIp: req.sourceIp,
          userAgent: req.headers["user-agent"] ?? "",
          readOnly: route.readOnly,
          requestParameters,
          responseElements: null,
          ...(failure ? { errorCode: failure.code, errorMessage: failure.message } : {}),
          requestId,
          eventTime: now(state),
        }),
      );
    }
  }
}
