import type http from "node:http";
import { now, realNowMs } from "./clock.js";
import { apiCallRecord, recordEvent } from "./cloudtrail/record.js";
import { lookupEvents } from "./cloudtrail/lookup.js";
import { sleep, takeFault } from "./control/faults.js";
import { AwsError, type ApiCall, send } from "./http.js";
import { authorize } from "./iam/authorize.js";
import { type Operation, requestParameters, toEventValue } from "./iam/common.js";
import { lookupAccessKey, type Principal } from "./iam/credentials.js";
import { iamOperations } from "./iam/handler.js";
import { requestId as newRequestId } from "./iam/ids.js";
import { expiredSignatureMessage, parseSignature, type SignedRequest, verifySignature } from "./sigv4.js";
import { DEFAULT_REGION, type SandboxState, userKey } from "./state.js";
import { stsOperations } from "./sts/handler.js";
import { IAM_XMLNS, queryError, queryResponse, STS_XMLNS } from "./xml.js";

type Service = "iam" | "sts" | "cloudtrail";

/** The SDK v3 sends `CloudTrail_20131101.X`; botocore and older SDKs the fully-qualified form. */
const CLOUDTRAIL_TARGETS = /^(com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.\w+$/;
const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/** JSON 1.1 services name the auth failures differently from the Query services. */
const JSON_AUTH_CODES: Record<string, string> = {
  InvalidClientTokenId: "UnrecognizedClientException",
  SignatureDoesNotMatch: "InvalidSignatureException",
  ExpiredToken: "ExpiredTokenException",
  MissingAuthenticationToken: "MissingAuthenticationTokenException",
  IncompleteSignature: "IncompleteSignatureException",
  AccessDenied: "AccessDeniedException",
};

/** `awsQueryErrorCode` of CloudTrail's modeled LookupEvents errors (from the API model). */
const QUERY_COMPATIBLE_CODES: Record<string, string> = {
  InvalidLookupAttributesException: "InvalidLookupAttributes",
  InvalidMaxResultsException: "InvalidMaxResults",
  InvalidNextTokenException: "InvalidNextToken",
  InvalidTimeRangeException: "InvalidTimeRange",
  InvalidEventCategoryException: "InvalidEventCategory",
  ThrottlingException: "ThrottlingException",
};

export interface IncomingApiRequest extends SignedRequest {
  sourceIp: string;
}

function sendError(res: http.ServerResponse, service: Service, err: AwsError, requestId: string): void {
  if (service === "cloudtrail") {
    const code = JSON_AUTH_CODES[err.code] ?? err.code;
    // JSON 1.1 services answer authentication and authorization failures with 400.
    const status = JSON_AUTH_CODES[err.code] ? 400 : err.status;
    send(res, status, JSON_CONTENT_TYPE, JSON.stringify({ __type: code, Message: err.message }), {
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": code,
      // CloudTrail is awsQueryCompatible: its modeled errors also carry the Query-style code,
      // which botocore (AWS CLI, boto3) reports in preference to __type.
      ...(QUERY_COMPATIBLE_CODES[code] ? { "x-amzn-query-error": `${QUERY_COMPATIBLE_CODES[code]};${err.type}` } : {}),
    });
    return;
  }
  const xml = queryError(service === "sts" ? STS_XMLNS : IAM_XMLNS, err.type, err.code, err.message, requestId);
  send(res, err.status, "text/xml", xml, { "x-amzn-RequestId": requestId });
}

const STS_ACTIONS = new Set(Object.keys(stsOperations));

/** Default resource ARN for the identity-policy check of an IAM action. */
function iamResource(state: SandboxState, call: ApiCall): string {
  const p = call.params;
  const userName = p.get("UserName") ?? (call.principal.type === "user" ? call.principal.userName : undefined);
  if (p.get("RoleName")) {
    const role = state.roles.get(userKey(p.get("RoleName")!));
    // A role being created is named with its Path, as for users (role/service-role/<name>); a role
    // that does not exist has no known path.
    return role?.arn ?? `arn:aws:iam::${state.accountId}:role${call.action === "CreateRole" ? (p.get("Path") ?? "/") : "/"}${p.get("RoleName")}`;
  }
  if (p.get("PolicyArn") && !p.get("UserName")) return p.get("PolicyArn")!;
  if (userName && call.action !== "ListUsers" && call.action !== "ListRoles") {
    const user = state.users.get(userKey(userName));
    // A user being created is named with the path it is created under (CreateUser's Path), as AWS
    // evaluates user/<path>/<name> resources, e.g. user/bedrock-key-console/*.
    return user?.arn ?? `arn:aws:iam::${state.accountId}:user${p.get("Path") ?? "/"}${userName}`;
  }
  return "*";
}

export async function authenticate(state: SandboxState, req: IncomingApiRequest, opts: { s3?: boolean } = {}): Promise<{ principal: Principal; accessKeyId: string; region: string; service: string }> {
  const info = parseSignature(req);
  if (!info) throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
  const key = lookupAccessKey(state, info.accessKeyId);
  const invalid = () => new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
  if (!key) throw invalid();
  if (key.sessionToken !== undefined && info.securityToken !== key.sessionToken) throw invalid();
  if (key.sessionToken === undefined && info.securityToken !== undefined) throw invalid();
  const failure = await verifySignature(req, info, key.secretAccessKey, realNowMs(), opts);
  if (failure === "expired-signature") {
    throw new AwsError("SignatureDoesNotMatch", expiredSignatureMessage(info, realNowMs()), 403);
  }
  if (failure) {
    throw new AwsError(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      403,
    );
  }
  if (key.expiration && key.expiration.getTime() <= now(state).getTime()) {
    throw new AwsError("ExpiredToken", "The security token included in the request is expired", 403);
  }
  return { principal: key.principal, accessKeyId: info.accessKeyId, region: info.region, service: info.service };
}

/** IAM (Query), STS (Query) and CloudTrail (JSON 1.1) on one endpoint, routed as AWS clients address them. */
export async function handleAwsApi(state: SandboxState, req: IncomingApiRequest, res: http.ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const target = req.headers["x-amz-target"];
  const params = new URLSearchParams(req.query);
  if (!target && req.body.length > 0) {
    for (const [k, v] of new URLSearchParams(req.body.toString("utf8"))) params.append(k, v);
  }
  const action = target ? target.slice(target.lastIndexOf(".") + 1) : (params.get("Action") ?? "");
  let service: Service = target ? "cloudtrail" : STS_ACTIONS.has(action) ? "sts" : "iam";
  const userAgent = req.headers["user-agent"] ?? "";
  let principal: Principal | null = null;
  let accessKeyId: string | undefined;
  let region = service === "iam" ? DEFAULT_REGION : DEFAULT_REGION;
  let op: Operation | undefined;
  let outcome: { result: ReturnType<Operation["run"]> } | { error: AwsError } | undefined;
  try {
    const auth = await authenticate(state, req);
    principal = auth.principal;
    accessKeyId = auth.accessKeyId;
    if (auth.service === "iam" || auth.service === "sts" || auth.service === "cloudtrail") service = auth.service;
    region = service === "iam" ? DEFAULT_REGION : auth.region;
    if (service === "cloudtrail") {
      if (!target || !CLOUDTRAIL_TARGETS.test(target) || action !== "LookupEvents") {
        throw new AwsError("UnknownOperationException", `Unknown operation ${target}`, 400);
      }
    } else {
      op = (service === "sts" ? stsOperations : iamOperations)[action];
      if (!op) {
        const version = service === "sts" ? "2011-06-15" : "2010-05-08";
        throw new AwsError("InvalidAction", `Could not find operation ${action} for version ${version}`, 400);
      }
    }
    const call: ApiCall = { state, action, params, region, principal, accessKeyId, sourceIp: req.sourceIp, userAgent, requestId };
    if (service !== "sts") {
      authorize(state, {
        principal,
        action: `${service}:${action}`,
        resource: service === "iam" ? iamResource(state, call) : "*",
        sourceIp: req.sourceIp,
        userAgent,
        region,
        ...(action === "CreateServiceSpecificCredential"
          ? {
              extra: {
                "iam:ServiceSpecificCredentialServiceName": params.get("ServiceName") ?? "",
                ...(params.get("CredentialAgeDays") ? { "iam:ServiceSpecificCredentialAgeDays": params.get("CredentialAgeDays")! } : {}),
              },
            }
          : action === "AttachUserPolicy" || action === "DetachUserPolicy" || action === "AttachRolePolicy" || action === "DetachRolePolicy"
            ? // The condition key AWS sets for these (policies that allow only certain managed policies).
              { extra: { "iam:PolicyARN": params.get("PolicyArn") ?? "" } }
            : {}),
      });
    }
    const fault = takeFault(state, service, action);
    if (fault) {
      await sleep(fault.latencyMs);
      if (fault.error) throw new AwsError(fault.error.code, fault.error.message, fault.error.status);
    }
    if (service === "cloudtrail") {
      let input: Record<string, unknown> = {};
      try {
        input = req.body.length > 0 ? (JSON.parse(req.body.toString("utf8")) as Record<string, unknown>) : {};
      } catch {
        throw new AwsError("SerializationException", "Request body is not valid JSON", 400);
      }
      const out = lookupEvents(state, region, input ?? {});
      send(res, 200, JSON_CONTENT_TYPE, JSON.stringify(out), { "x-amzn-RequestId": requestId });
      return;
    }
    outcome = { result: op!.run(call) };
  } catch (e) {
    const err = e instanceof AwsError ? e : new AwsError("ServiceFailure", (e as Error).message ?? "Internal error", 500);
    if (!(e instanceof AwsError)) console.error("sandbox: unexpected error in", action, e);
    outcome = { error: err };
  }
  if (service !== "cloudtrail" && principal) recordApiCall(state, { service, action, op, principal, accessKeyId, region, req, userAgent, requestId, params, outcome });
  if ("error" in outcome) {
    sendError(res, service, outcome.error, requestId);
    return;
  }
  const xmlns = service === "sts" ? STS_XMLNS : IAM_XMLNS;
  send(res, 200, "text/xml", queryResponse(action, xmlns, outcome.result.result, requestId), { "x-amzn-RequestId": requestId });
}

/** Records an authenticated IAM/STS call (success or failure) as CloudTrail would. */
function recordApiCall(
  state: SandboxState,
  c: {
    service: Service;
    action: string;
    op: Operation | undefined;
    principal: Principal;
    accessKeyId: string | undefined;
    region: string;
    req: IncomingApiRequest;
    userAgent: string;
    requestId: string;
    params: URLSearchParams;
    outcome: { result: ReturnType<Operation["run"]> } | { error: AwsError };
  },
): void {
  if (!c.op) return; // unknown actions are not API calls CloudTrail knows about
  const ok = "result" in c.outcome ? c.outcome.result : undefined;
  const err = "error" in c.outcome ? c.outcome.error : undefined;
  const responseElements = ok
    ? ok.responseElements !== undefined
      ? ok.responseElements
      : c.op.readOnly || !ok.result
        ? null
        : (toEventValue(ok.result) as Record<string, unknown>)
    : null;
  const record = apiCallRecord(state, {
    principal: c.principal,
    ...(c.accessKeyId ? { accessKeyId: c.accessKeyId } : {}),
    eventSource: `${c.service}.amazonaws.com`,
    eventName: c.action,
    region: c.region,
    sourceIp: c.req.sourceIp,
    userAgent: c.userAgent,
    readOnly: c.op.readOnly,
    requestParameters: requestParameters(c.params),
    responseElements,
    ...(err ? { errorCode: err.code, errorMessage: err.message } : {}),
    requestId: c.requestId,
  });
  recordEvent(state, record, ok?.resources);
}
