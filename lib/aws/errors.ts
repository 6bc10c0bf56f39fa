import { ActionError } from "@/lib/actions/errors";

/**
 * AWS failures as the rest of the console sees them: a small set of kinds, each with a message
 * key in the "errors" namespace. Raw SDK exceptions (with request ids, ARNs and AWS's wording)
 * never reach the UI; the original AWS code stays on the error for logs and audit details.
 */
export type AwsErrorKind =
  | "NotFound"
  | "AlreadyExists"
  | "LimitExceeded"
  | "Validation"
  | "Throttled"
  | "AccessDenied"
  | "Credentials"
  | "Conflict"
  | "Unavailable"
  | "Unknown";

export type AwsService = "iam" | "sts" | "cloudtrail" | "organizations" | "bedrock" | "logs";

export class AwsServiceError extends ActionError {
  constructor(
    readonly kind: AwsErrorKind,
    /** AWS's error code, e.g. NoSuchEntity. Safe to log and audit (never contains a secret). */
    readonly awsCode: string,
    /** The SDK operation that failed, e.g. CreateUser. */
    readonly operation: string,
    code: string,
    params: Record<string, string | number> = {},
  ) {
    super(code, params);
    this.name = "AwsServiceError";
  }

  /** Details for an audit entry or a log line: codes only, no AWS message text. */
  toDetails(): Record<string, string> {
    return { awsOperation: this.operation, awsErrorKind: this.kind, awsErrorCode: this.awsCode };
  }
}

const KIND_BY_CODE: Record<string, AwsErrorKind> = {
  NoSuchEntity: "NotFound",
  ResourceNotFound: "NotFound",
  EntityAlreadyExists: "AlreadyExists",
  LimitExceeded: "LimitExceeded",
  ServiceQuotaExceeded: "LimitExceeded",
  PackedPolicyTooLarge: "LimitExceeded",
  ValidationError: "Validation",
  Validation: "Validation",
  InvalidInput: "Validation",
  InvalidParameterValue: "Validation",
  MalformedPolicyDocument: "Validation",
  InvalidLookupAttributes: "Validation",
  InvalidTimeRange: "Validation",
  NotSupportedService: "Validation",
  Throttling: "Throttled",
  TooManyRequests: "Throttled",
  RequestLimitExceeded: "Throttled",
  AccessDenied: "AccessDenied",
  UnauthorizedOperation: "AccessDenied",
  RegionDisabled: "AccessDenied",
  InvalidClientTokenId: "Credentials",
  UnrecognizedClient: "Credentials",
  SignatureDoesNotMatch: "Credentials",
  InvalidSignature: "Credentials",
  ExpiredToken: "Credentials",
  MissingAuthenticationToken: "Credentials",
  CredentialsProviderError: "Credentials",
  DeleteConflict: "Conflict",
  ConcurrentModification: "Conflict",
  EntityTemporarilyUnmodifiable: "Unavailable",
  ServiceFailure: "Unavailable",
  InternalFailure: "Unavailable",
  ServiceUnavailable: "Unavailable",
  TimeoutError: "Unavailable",
  RequestTimeout: "Unavailable",
};

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

const MESSAGE_KEY: Record<AwsErrorKind, string> = {
  NotFound: "aws.notFound",
  AlreadyExists: "aws.alreadyExists",
  LimitExceeded: "aws.limitExceeded",
  Validation: "aws.validation",
  Throttled: "aws.throttled",
  AccessDenied: "aws.accessDenied",
  Credentials: "aws.credentials",
  Conflict: "aws.conflict",
  Unavailable: "aws.unavailable",
  Unknown: "aws.unknown",
};

/** The IAM action an operation needs, for "the console lacks permission X". */
export function iamActionFor(service: AwsService, operation: string): string {
  return `${service}:${operation}`;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $fault?: unknown;
}

/** The AWS error code of an SDK error, without the SDK's "Exception" suffix. */
export function awsErrorCode(error: unknown): string {
  if (!error || typeof error !== "object") return "Unknown";
  const e = error as SdkErrorShape;
  const network = typeof e.code === "string" && NETWORK_CODES.has(e.code) ? e.code : undefined;
  if (network) return network;
  const raw = typeof e.Code === "string" ? e.Code : typeof e.name === "string" ? e.name : "Unknown";
  return raw === "Exception" || raw === "Error" ? raw : raw.replace(/Exception$/, "");
}

/** Pure: classify an SDK error. Unknown 5xx count as Unavailable, unknown 4xx as Unknown. */
export function classifyAwsError(error: unknown): { kind: AwsErrorKind; code: string } {
  const code = awsErrorCode(error);
  if (NETWORK_CODES.has(code)) return { kind: "Unavailable", code };
  const known = KIND_BY_CODE[code];
  if (known) return { kind: known, code };
  const status = (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  if (typeof status === "number" && status >= 500) return { kind: "Unavailable", code };
  if (status === 429) return { kind: "Throttled", code };
  return { kind: "Unknown", code };
}

/**
 * The action AWS says was denied. AWS's AccessDenied messages read "User: arn:… is not authorized
 * to perform: iam:CreateUser on resource: …"; when the message does not say, the operation's own
 * action is the one the console lacks.
 */
export function deniedAction(error: unknown, service: AwsService, operation: string): string {
  const message = (error as SdkErrorShape | null)?.message;
  const m = typeof message === "string" ? /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message) : null;
  return m?.[1] ?? iamActionFor(service, operation);
}

/** Pure: SDK error → domain error with a translated-message key. Domain errors pass through. */
export function toAwsServiceError(error: unknown, service: AwsService, operation: string): AwsServiceError {
  if (error instanceof AwsServiceError) return error;
  const { kind, code } = classifyAwsError(error);
  const params: Record<string, string | number> = { operation };
  if (kind === "AccessDenied") params.action = deniedAction(error, service, operation);
  if (kind === "Unknown") params.code = code;
  return new AwsServiceError(kind, code, operation, MESSAGE_KEY[kind], params);
}

/** Run one AWS call and translate its failure. `send` is the client call, kept lazy for clarity. */
export async function callAws<T>(service: AwsService, operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toAwsServiceError(error, service, operation);
  }
}

export function isAwsKind(error: unknown, kind: AwsErrorKind): error is AwsServiceError {
  return error instanceof AwsServiceError && error.kind === kind;
}
