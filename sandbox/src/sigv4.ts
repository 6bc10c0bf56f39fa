import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { createScope, getCanonicalQuery, getSigningKey } from "@smithy/signature-v4";
import { AwsError } from "./http.js";

/** What a request says about its signature, before the secret is known. */
export interface SignatureInfo {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  securityToken?: string;
  presigned: boolean;
  expiresSeconds?: number;
}

export interface SignedRequest {
  method: string;
  /** Path exactly as it came on the wire (still percent-encoded), without the query string. */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_SKEW_MS = 15 * 60 * 1000;

/** Reads the SigV4 parameters from the Authorization header or a presigned query. null = unsigned. */
export function parseSignature(req: SignedRequest): SignatureInfo | null {
  const auth = req.headers["authorization"];
  if (auth) {
    if (!auth.startsWith(ALGORITHM + " ")) {
      throw new AwsError("IncompleteSignature", `Unsupported AWS 'algorithm': '${auth.split(" ")[0]}'`, 400);
    }
    const parts: Record<string, string> = {};
    for (const piece of auth.slice(ALGORITHM.length + 1).split(",")) {
      const eq = piece.indexOf("=");
      if (eq > 0) parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
    }
    for (const name of ["Credential", "SignedHeaders", "Signature"]) {
      if (!parts[name]) {
        throw new AwsError(
          "IncompleteSignature",
          `Authorization header requires '${name}' parameter. Authorization=${auth}`,
          400,
        );
      }
    }
    const amzDate = req.headers["x-amz-date"];
    if (!amzDate) {
      throw new AwsError("IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", 400);
    }
    return {
      ...scopeOf(parts.Credential!),
      signedHeaders: parts.SignedHeaders!.split(";"),
      signature: parts.Signature!,
      amzDate,
      ...(req.headers["x-amz-security-token"] ? { securityToken: req.headers["x-amz-security-token"] } : {}),
      presigned: false,
    };
  }
  if (req.query.get("X-Amz-Algorithm") === ALGORITHM) {
    const need = (name: string): string => {
      const v = req.query.get(name);
      if (!v) throw new AwsError("IncompleteSignature", `AWS query-string parameters must include '${name}'.`, 400);
      return v;
    };
    const expires = Number(need("X-Amz-Expires"));
    const token = req.query.get("X-Amz-Security-Token");
    return {
      ...scopeOf(need("X-Amz-Credential")),
      signedHeaders: need("X-Amz-SignedHeaders").split(";"),
      signature: need("X-Amz-Signature"),
      amzDate: need("X-Amz-Date"),
      ...(token ? { securityToken: token } : {}),
      presigned: true,
      expiresSeconds: expires,
    };
  }
  return null;
}

function scopeOf(credential: string): Pick<SignatureInfo, "accessKeyId" | "shortDate" | "region" | "service"> {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") {
    throw new AwsError(
      "IncompleteSignature",
      `Credential should be scoped to a valid region, not '${parts[2] ?? ""}'. `,
      400,
    );
  }
  return { accessKeyId: parts[0]!, shortDate: parts[1]!, region: parts[2]!, service: parts[3]! };
}

function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 services sign the wire path encoded once more, with dot segments removed. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") segments.pop();
    else segments.push(seg);
  }
  const normalized = `/${segments.join("/")}${segments.length > 0 && rawPath.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of query) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The three ways SigV4 verification fails, in the words AWS uses. */
export type SignatureFailure = "mismatch" | "expired-signature";

/**
 * Recomputes the signature with the caller's secret. Canonical query and signing key come from
 * @smithy/signature-v4 (the same code the SDK signs with); the canonical request is built from the
 * headers the client says it signed, so headers the SDK would not sign (botocore signs more) work.
 */
export async function verifySignature(
  req: SignedRequest,
  info: SignatureInfo,
  secretAccessKey: string,
  realNowMs: number,
  opts: { s3?: boolean } = {},
): Promise<SignatureFailure | null> {
  const signedAt = parseAmzDate(info.amzDate);
  if (Number.isNaN(signedAt) || !info.amzDate.startsWith(info.shortDate)) return "mismatch";
  if (info.presigned) {
    if (realNowMs > signedAt + (info.expiresSeconds ?? 0) * 1000 || realNowMs < signedAt - MAX_SKEW_MS) {
      return "expired-signature";
    }
  } else if (Math.abs(realNowMs - signedAt) > MAX_SKEW_MS) {
    return "expired-signature";
  }
  const canonicalHeaders = info.signedHeaders
    .map((h) => `${h}:${(req.headers[h] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const query = queryObject(req.query);
  const candidates = req.headers["x-amz-content-sha256"]
    ? [req.headers["x-amz-content-sha256"]]
    : info.presigned
      ? [sha256Hex(req.body), "UNSIGNED-PAYLOAD"]
      : [sha256Hex(req.body)];
  const scope = createScope(info.shortDate, info.region, info.service);
  const key = await getSigningKey(
    Sha256,
    { accessKeyId: info.accessKeyId, secretAccessKey },
    info.shortDate,
    info.region,
    info.service,
  );
  const provided = Buffer.from(info.signature, "hex");
  for (const payloadHash of candidates) {
    const canonicalRequest = [
      req.method,
      // S3 signs the path as it is on the wire (encoded once, no dot-segment normalisation).
      opts.s3 ? req.rawPath : canonicalPath(req.rawPath),
      getCanonicalQuery({ query } as unknown as Parameters<typeof getCanonicalQuery>[0]),
      canonicalHeaders,
      info.signedHeaders.join(";"),
      payloadHash,
    ].join("\n");
    const stringToSign = `${ALGORITHM}\n${info.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const expected = createHmac("sha256", key).update(stringToSign).digest();
    if (provided.length === expected.length && timingSafeEqual(provided, expected)) return null;
  }
  return "mismatch";
}

export function expiredSignatureMessage(info: SignatureInfo, realNowMs: number): string {
  const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  return `Signature expired: ${info.amzDate} is now earlier than ${fmt(realNowMs - MAX_SKEW_MS)} (${fmt(realNowMs)} - 15 min.)`;
}
