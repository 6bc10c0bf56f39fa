/**
 * Amazon S3, path-style (`forcePathStyle: true`): ListBuckets, HeadBucket, ListObjectsV2,
 * GetObject (with Range) and HeadObject — what a reader of CloudTrail log files needs.
 * SigV4 as S3 signs it (path not re-encoded, `x-amz-content-sha256` checked against the body),
 * identity policies through the shared evaluator (s3:ListBucket on the bucket ARN, s3:GetObject on
 * the object ARN, s3:ListAllMyBuckets), errors in S3's XML (`<Error><Code>…`).
 */
import { createHash } from "node:crypto";
import type http from "node:http";
import { sleep, takeFault } from "../control/faults.js";
import { authenticate, type IncomingApiRequest } from "../aws-api.js";
import { AwsError, send } from "../http.js";
import { authorize } from "../iam/authorize.js";
import type { Principal } from "../iam/credentials.js";
import { requestId as newRequestId } from "../iam/ids.js";
import type { SandboxState } from "../state.js";
import { escapeXml } from "../xml.js";
import { deliverDue } from "./trail.js";
import { type Bucket, compareKeys, objectBody, sortedKeys, type World, worldOf } from "./world.js";

const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

class S3Error extends Error {
  constructor(readonly code: string, message: string, readonly status: number, readonly extra: Record<string, string> = {}) {
    super(message);
  }
}

/** The authentication failures of the shared SigV4 check, in S3's words. */
function s3AuthError(e: AwsError, accessKeyId: string | undefined): S3Error {
  switch (e.code) {
    case "MissingAuthenticationToken":
      return new S3Error("AccessDenied", "Access Denied", 403);
    case "InvalidClientTokenId":
      return new S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403, accessKeyId ? { AWSAccessKeyId: accessKeyId } : {});
    case "SignatureDoesNotMatch":
      return e.message.startsWith("Signature expired")
        ? new S3Error("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403)
        : new S3Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", 403);
    case "ExpiredToken":
      return new S3Error("ExpiredToken", "The provided token has expired.", 400);
    case "AccessDenied":
      return new S3Error("AccessDenied", e.message, 403);
    default:
      return new S3Error("InvalidRequest", e.message, 400);
  }
}

function sendError(res: http.ServerResponse, method: string, err: S3Error, requestId: string, resource: string): void {
  const headers = { "x-amz-request-id": requestId, "x-amz-id-2": hostId(requestId) };
  if (method === "HEAD") {
    // HEAD answers carry no body; SDKs name the error after the status (NotFound, Forbidden).
    res.writeHead(err.status, headers);
    res.end();
    return;
  }
  let extra = "";
  for (const [k, v] of Object.entries(err.extra)) extra += `<${k}>${escapeXml(v)}</${k}>`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>${extra}<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`;
  send(res, err.status, "application/xml", xml, headers);
}

function hostId(requestId: string): string {
  return createHash("sha256").update(requestId).digest("base64");
}

/** Is this request for S3? Signed for service `s3`, header or presigned. */
export function isS3Request(headers: Record<string, string>, query: URLSearchParams): boolean {
  const auth = headers.authorization ?? "";
  if (/Credential=[^/]+\/\d{8}\/[^/]+\/s3\/aws4_request/.test(auth)) return true;
  return /^[^/]+\/\d{8}\/[^/]+\/s3\/aws4_request$/.test(query.get("X-Amz-Credential") ?? "");
}

interface S3Call {
  state: SandboxState;
  world: World;
  principal: Principal;
  req: IncomingApiRequest;
  region: string;
  userAgent: string;
}

function authz(c: S3Call, bucket: Bucket | undefined, action: string, resource: string, extra: Record<string, string> = {}): void {
  if (bucket?.denyAll) {
    throw new S3Error("AccessDenied", `User: ${c.principal.arn} is not authorized to perform: ${action} on resource: "${resource}" with an explicit deny in a resource-based policy`, 403);
  }
  // Without a bucket policy, only the owning account's identities can be granted access.
  if (bucket && bucket.owner !== c.state.accountId) {
    throw new S3Error("AccessDenied", `User: ${c.principal.arn} is not authorized to perform: ${action} on resource: "${resource}" because no resource-based policy allows the ${action} action`, 403);
  }
  try {
    authorize(c.state, { principal: c.principal, action, resource, sourceIp: c.req.sourceIp, userAgent: c.userAgent, region: c.region, extra });
  } catch (e) {
    if (e instanceof AwsError) throw new S3Error("AccessDenied", e.message, 403);
    throw e;
  }
}

function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

export async function handleS3(state: SandboxState, req: IncomingApiRequest, res: http.ServerResponse): Promise<void> {
  const requestId = newRequestId().replace(/-/g, "").slice(0, 16).toUpperCase();
  const world = worldOf(state);
  const { method, rawPath, query } = req;
  const slash = rawPath.indexOf("/", 1);
  const bucketName = decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
  const key = slash < 0 ? "" : decodeURIComponent(rawPath.slice(slash + 1));
  let resource = rawPath;
  try {
    const sha = req.headers["x-amz-content-sha256"];
    if (req.headers.authorization && !sha) throw new S3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", 400);
    if (sha && sha !== "UNSIGNED-PAYLOAD" && !sha.startsWith("STREAMING-")) {
      const actual = req.body.length === 0 ? EMPTY_SHA256 : createHash("sha256").update(req.body).digest("hex");
      if (sha !== actual) {
        throw new S3Error("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, { ClientComputedContentSHA256: sha, S3ComputedContentSHA256: actual });
      }
    }
    let auth: Awaited<ReturnType<typeof authenticate>>;
    try {
      auth = await authenticate(state, req, { s3: true });
    } catch (e) {
      if (e instanceof AwsError) throw s3AuthError(e, undefined);
      throw e;
    }
    const c: S3Call = { state, world, principal: auth.principal, req, region: auth.region, userAgent: req.headers["user-agent"] ?? "" };
    // Trail files that are due appear before anyone looks (the timer would deliver them within a second).
    deliverDue(world);
    const op = operationOf(method, bucketName, key, query);
    const fault = takeFault(state, "s3", op);
    if (fault) {
      await sleep(fault.latencyMs);
      if (fault.error) throw new S3Error(fault.error.code, fault.error.message, fault.error.status);
    }
    if (op === "ListBuckets") {
      authz(c, undefined, "s3:ListAllMyBuckets", "*");
      const mine = [...world.buckets.values()].filter((b) => b.owner === state.accountId).sort((a, b) => compareKeys(a.name, b.name));
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>${ownerId(state.accountId)}</ID><DisplayName>${state.accountId}</DisplayName></Owner><Buckets>${mine.map((b) => `<Bucket><Name>${escapeXml(b.name)}</Name><CreationDate>${isoMs(b.created)}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`).join("")}</Buckets></ListAllMyBucketsResult>`;
      return send(res, 200, "application/xml", xml, { "x-amz-request-id": requestId });
    }
    resource = `arn:aws:s3:::${bucketName}${key ? `/${key}` : ""}`;
    const bucket = world.buckets.get(bucketName);
    if (!bucket) throw new S3Error("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucketName });
    const bucketArn = `arn:aws:s3:::${bucket.name}`;
    switch (op) {
      case "HeadBucket":
        authz(c, bucket, "s3:ListBucket", bucketArn);
        res.writeHead(200, { "x-amz-request-id": requestId, "x-amz-bucket-region": bucket.region });
        res.end();
        return;
      case "ListObjectsV2":
        return listObjectsV2(c, bucket, res, requestId);
      case "GetObject":
      case "HeadObject":
        return getObject(c, bucket, key, op, res, requestId);
      default:
        throw new S3Error("NotImplemented", `A header or query you provided implies functionality that is not implemented (sandbox: ${method} ${op}).`, 501);
    }
  } catch (e) {
    const err = e instanceof S3Error ? e : new S3Error("InternalError", "We encountered an internal error. Please try again.", 500);
    if (!(e instanceof S3Error)) console.error("sandbox: unexpected error in S3", e);
    sendError(res, method, err, requestId, resource);
  }
}

function ownerId(account: string): string {
  return createHash("sha256").update(`owner:${account}`).digest("hex");
}

function operationOf(method: string, bucket: string, key: string, query: URLSearchParams): string {
  if (!bucket) return method === "GET" ? "ListBuckets" : "Unknown";
  if (!key) {
    if (method === "HEAD") return "HeadBucket";
    if (method === "GET" && query.get("list-type") === "2") return "ListObjectsV2";
    return method === "GET" ? "ListObjects" : `${method}Bucket`;
  }
  if (method === "GET") return "GetObject";
  if (method === "HEAD") return "HeadObject";
  return `${method}Object`;
}

function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}

function listObjectsV2(c: S3Call, bucket: Bucket, res: http.ServerResponse, requestId: string): void {
  const q = c.req.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const startAfter = q.get("start-after") ?? "";
  const token = q.get("continuation-token");
  const encode = q.get("encoding-type") === "url";
  const maxKeysRaw = q.get("max-keys");
  const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new S3Error("InvalidArgument", "Provided max-keys not an integer or within integer range", 400, { ArgumentName: "max-keys", ArgumentValue: maxKeysRaw ?? "" });
  }
  authz(c, bucket, "s3:ListBucket", `arn:aws:s3:::${bucket.name}`, {
    "s3:prefix": prefix,
    "s3:max-keys": String(maxKeys),
    ...(delimiter ? { "s3:delimiter": delimiter } : {}),
  });
  let after = startAfter;
  if (token !== null) {
    const decoded = Buffer.from(token, "base64url").toString("utf8");
    if (!decoded.startsWith("v1:")) throw new S3Error("InvalidArgument", "The continuation token provided is incorrect", 400, { ArgumentName: "continuation-token" });
    after = decoded.slice(3);
  }
  const keys = sortedKeys(bucket);
  // First key > after and >= prefix (binary search).
  let lo = 0, hi = keys.length;
  const floor = compareKeys(after, prefix) >= 0 ? after : prefix;
  const strict = compareKeys(after, prefix) >= 0 && after !== "";
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = compareKeys(keys[mid]!, floor);
    if (cmp < 0 || (strict && cmp === 0)) lo = mid + 1;
    else hi = mid;
  }
  const enc = (s: string) => escapeXml(encode ? encodeURIComponent(s).replace(/%2F/g, "/") : s);
  let contents = "";
  let common = "";
  let count = 0;
  let last = "";
  let truncated = false;
  const limit = Math.min(maxKeys, 1000);
  let i = lo;
  while (i < keys.length) {
    const k = keys[i]!;
    if (!k.startsWith(prefix)) break;
    if (count >= limit) {
      truncated = true;
      break;
    }
    const rest = k.slice(prefix.length);
    const d = delimiter ? rest.indexOf(delimiter) : -1;
    if (d >= 0) {
      const cp = prefix + rest.slice(0, d + delimiter.length);
      common += `<CommonPrefixes><Prefix>${enc(cp)}</Prefix></CommonPrefixes>`;
      count++;
      // Skip every key under this common prefix: the next key sorts after cp + U+FFFF.
      const bound = cp + "\uffff";
      let l = i + 1, h = keys.length;
      while (l < h) {
        const m = (l + h) >>> 1;
        if (compareKeys(keys[m]!, bound) < 0) l = m + 1;
        else h = m;
      }
      i = l;
      last = bound; // a continuation resumes after every key under the common prefix
      continue;
    }
    const obj = bucket.objects.get(k)!;
    contents += `<Contents><Key>${enc(k)}</Key><LastModified>${isoMs(obj.lastModified)}</LastModified><ETag>${escapeXml(obj.etag)}</ETag><Size>${obj.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    count++;
    last = k;
    i++;
  }
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${XMLNS}"><Name>${escapeXml(bucket.name)}</Name><Prefix>${enc(prefix)}</Prefix>` +
    (startAfter ? `<StartAfter>${enc(startAfter)}</StartAfter>` : "") +
    (token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : "") +
    (truncated ? `<NextContinuationToken>${b64(`v1:${last}`)}</NextContinuationToken>` : "") +
    `<KeyCount>${count}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    (delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : "") +
    (encode ? "<EncodingType>url</EncodingType>" : "") +
    `<IsTruncated>${truncated}</IsTruncated>${contents}${common}</ListBucketResult>`;
  send(res, 200, "application/xml", xml, { "x-amz-request-id": requestId });
}

function getObject(c: S3Call, bucket: Bucket, key: string, op: "GetObject" | "HeadObject", res: http.ServerResponse, requestId: string): void {
  const objectArn = `arn:aws:s3:::${bucket.name}/${key}`;
  authz(c, bucket, "s3:GetObject", objectArn);
  const obj = bucket.objects.get(key);
  if (!obj) {
    // S3 tells a caller who may list the bucket that the key is missing; others get 403.
    try {
      authz(c, bucket, "s3:ListBucket", `arn:aws:s3:::${bucket.name}`);
    } catch {
      throw new S3Error("AccessDenied", "Access Denied", 403);
    }
    throw new S3Error("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
  }
  const headers: Record<string, string | number> = {
    "Content-Type": obj.contentType,
    ETag: obj.etag,
    "Last-Modified": new Date(obj.lastModified).toUTCString(),
    "Accept-Ranges": "bytes",
    "x-amz-request-id": requestId,
    "x-amz-server-side-encryption": "AES256",
  };
  const range = c.req.headers.range;
  let body = op === "GetObject" || range ? objectBody(c.world, obj) : undefined;
  let status = 200;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range);
    if (m && (m[1] || m[2])) {
      let start = m[1] ? Number(m[1]) : Math.max(0, obj.size - Number(m[2]));
      let end = m[1] && m[2] ? Math.min(Number(m[2]), obj.size - 1) : obj.size - 1;
      if (!m[1]) end = obj.size - 1;
      if (start >= obj.size) {
        throw new S3Error("InvalidRange", "The requested range is not satisfiable", 416, { RangeRequested: range, ActualObjectSize: String(obj.size) });
      }
      start = Math.max(0, start);
      end = Math.max(start, end);
      body = body!.subarray(start, end + 1);
      headers["Content-Range"] = `bytes ${start}-${end}/${obj.size}`;
      status = 206;
    }
  }
  headers["Content-Length"] = body ? body.length : obj.size;
  res.writeHead(status, headers);
  res.end(op === "GetObject" ? body : undefined);
}
