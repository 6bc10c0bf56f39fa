/**
 * Bedrock runtime calls signed with SigV4 (IAM credentials instead of an API key), as the SDKs
 * send them when no bearer token is configured. They are authorized without
 * `bedrock:CallWithBearerToken` and recorded without `callWithBearerToken`, which is what lets a
 * console tell API-key usage apart from ordinary IAM usage.
 *
 * The signature covers the path the client sent. The server hands the runtime handler the path
 * after any `/bedrock-runtime/<region>` prefix, so both forms are tried.
 */
import { now as clockNow, realNowMs } from "../clock.js";
import type { RuntimeContext } from "../http.js";
import { lookupAccessKey } from "../iam/credentials.js";
import { expiredSignatureMessage, parseSignature, verifySignature } from "../sigv4.js";
import type { RuntimeCaller } from "./bearer.js";
import { RuntimeError } from "./respond.js";

export function isSigV4(ctx: RuntimeContext): boolean {
  return (ctx.headers["authorization"] ?? "").startsWith("AWS4-HMAC-SHA256") || ctx.query.get("X-Amz-Algorithm") === "AWS4-HMAC-SHA256";
}

const invalidToken = () => new RuntimeError("UnrecognizedClientException", "The security token included in the request is invalid.", 403);

/**
 * The caller and the region it signed for, or the error AWS would answer. `endpoint` names the
 * path prefix the server may have stripped (`/<endpoint>/<region>`) and, for bedrock-mantle, the
 * signing service the credential scope must name.
 */
export async function authenticateSigV4(
  ctx: RuntimeContext,
  endpoint: "bedrock-runtime" | "bedrock-mantle" = "bedrock-runtime",
): Promise<{ caller: RuntimeCaller; region: string }> {
  const base = { method: ctx.method, query: ctx.query, headers: ctx.headers, body: ctx.body };
  let info;
  try {
    info = parseSignature({ ...base, rawPath: ctx.path });
  } catch (e) {
    throw new RuntimeError("IncompleteSignatureException", (e as Error).message, 400);
  }
  if (!info) throw new RuntimeError("MissingAuthenticationTokenException", "Missing Authentication Token");
  // bedrock-mantle is its own signing service (SigV4 service name `bedrock-mantle`).
  if (endpoint === "bedrock-mantle" && info.service !== "bedrock-mantle") {
    throw new RuntimeError("InvalidSignatureException", `Credential should be scoped to correct service: 'bedrock-mantle'.`, 403);
  }
  const key = lookupAccessKey(ctx.state, info.accessKeyId);
  if (!key || (key.sessionToken ?? undefined) !== info.securityToken) throw invalidToken();
  let failure: Awaited<ReturnType<typeof verifySignature>> = "mismatch";
  for (const rawPath of [ctx.path, `/${endpoint}/${ctx.region}${ctx.path}`]) {
    failure = await verifySignature({ ...base, rawPath }, info, key.secretAccessKey, realNowMs());
    if (failure !== "mismatch") break;
  }
  if (failure === "expired-signature") throw new RuntimeError("InvalidSignatureException", expiredSignatureMessage(info, realNowMs()), 403);
  if (failure) {
    throw new RuntimeError(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      403,
    );
  }
  if (key.expiration && key.expiration.getTime() <= clockNow(ctx.state).getTime()) {
    throw new RuntimeError("ExpiredTokenException", "The security token included in the request is expired", 403);
  }
  return { caller: { principal: key.principal, accessKeyId: info.accessKeyId }, region: info.region };
}
