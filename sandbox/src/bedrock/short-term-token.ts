/**
 * Short-term Bedrock API keys, as @aws/bedrock-token-generator makes them:
 *
 *   "bedrock-api-key-" + base64("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=...
 *                                &X-Amz-Credential=...&X-Amz-Date=...&X-Amz-Expires=...&X-Amz-SignedHeaders=host
 *                                [&X-Amz-Security-Token=...]&X-Amz-Signature=..." + "&Version=1")
 *
 * i.e. a SigV4-presigned `POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken` for
 * service `bedrock`, with `&Version=1` appended after signing. Verification re-presigns the same
 * request with @smithy/signature-v4 (the library the generator signs with) using the signer's
 * secret and the token's own date and expiry, and compares signatures in constant time.
 */
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from "node:crypto";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export const SHORT_TERM_PREFIX = "bedrock-api-key-";
const HOST = "bedrock.amazonaws.com";
/** The generator refuses longer expiries; a token claiming more is held to 12 hours. */
export const MAX_SHORT_TERM_SECONDS = 43_200;

export interface ShortTermToken {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  /** X-Amz-Date as a Date: when the token was signed. */
  signedAt: Date;
  expiresSeconds: number;
  securityToken?: string;
  signature: string;
}

/** Decodes and checks the token's structure; null when it is not a well-formed short-term key. */
export function parseShortTermToken(token: string): ShortTermToken | null {
  if (!token.startsWith(SHORT_TERM_PREFIX)) return null;
  const b64 = token.slice(SHORT_TERM_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const decoded = Buffer.from(b64, "base64").toString("utf8");
  if (!decoded.startsWith(`${HOST}/?`) || !decoded.endsWith("&Version=1")) return null;
  const q = new URLSearchParams(decoded.slice(HOST.length + 2, -"&Version=1".length));
  if (q.get("Action") !== "CallWithBearerToken" || q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return null;
  if (q.get("X-Amz-SignedHeaders") !== "host") return null;
  const credential = q.get("X-Amz-Credential")?.split("/");
  const amzDate = q.get("X-Amz-Date") ?? "";
  const expires = Number(q.get("X-Amz-Expires"));
  const signature = q.get("X-Amz-Signature") ?? "";
  if (!credential || credential.length !== 5 || credential[4] !== "aws4_request") return null;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m || !amzDate.startsWith(credential[1]!)) return null;
  if (!Number.isInteger(expires) || expires <= 0 || !/^[0-9a-f]{64}$/.test(signature)) return null;
  const securityToken = q.get("X-Amz-Security-Token") ?? undefined;
  return {
    accessKeyId: credential[0]!,
    shortDate: credential[1]!,
    region: credential[2]!,
    service: credential[3]!,
    signedAt: new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)),
    expiresSeconds: expires,
    ...(securityToken ? { securityToken } : {}),
    signature,
  };
}

/** When the token stops working by its own terms (not counting its signing credentials). */
export function tokenExpiresAt(t: ShortTermToken): Date {
  return new Date(t.signedAt.getTime() + Math.min(t.expiresSeconds, MAX_SHORT_TERM_SECONDS) * 1000);
}

/** node:crypto behind the Checksum interface @smithy/signature-v4 expects (SHA-256 or HMAC). */
class NodeSha256 {
  private h: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac("sha256", key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    if (typeof data === "string") this.h.update(data);
    else if (ArrayBuffer.isView(data)) this.h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else this.h.update(new Uint8Array(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    this.h = this.fresh();
  }
}

/**
 * True when the token's signature is what the given credentials produce. The session token
 * passed is the one the sandbox issued with those credentials: a token carrying another
 * security token (or none, for temporary credentials) fails.
 */
export async function verifyShortTermSignature(
  t: ShortTermToken,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<boolean> {
  if (t.securityToken !== credentials.sessionToken) return false;
  const signer = new SignatureV4({
    service: t.service,
    region: t.region,
    credentials,
    sha256: NodeSha256,
  });
  const request = new HttpRequest({
    method: "POST",
    protocol: "https",
    hostname: HOST,
    headers: { host: HOST },
    path: "/",
    query: { Action: "CallWithBearerToken" },
  });
  let presigned: HttpRequest;
  try {
    presigned = (await signer.presign(request, { expiresIn: t.expiresSeconds, signingDate: t.signedAt })) as HttpRequest;
  } catch {
    return false; // e.g. an expiry beyond SigV4's one-week limit: no genuine token has one
  }
  const expected = Buffer.from(String(presigned.query["X-Amz-Signature"] ?? ""), "hex");
  const provided = Buffer.from(t.signature, "hex");
  return expected.length === provided.length && expected.length > 0 && timingSafeEqual(expected, provided);
}
