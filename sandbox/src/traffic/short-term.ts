/**
 * Short-term Bedrock API keys signed at a chosen instant.
 *
 * `@aws/bedrock-token-generator` always signs at the machine's current time, but backdated
 * traffic runs with the sandbox clock days in the past, and a token "made" then must say so
 * (its X-Amz-Date becomes the CloudTrail session creation time and aws:TokenIssueTime). This
 * does exactly what the generator's createToken does — presign `POST https://bedrock.amazonaws.com/
 * ?Action=CallWithBearerToken` for service `bedrock`, drop `https://`, append `&Version=1`,
 * base64, prefix — with an explicit signing date. Tests use the real generator.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export async function shortTermTokenAt(
  credentials: SigningCredentials,
  region: string,
  signingDate: Date,
  expiresInSeconds = 43_200,
): Promise<string> {
  const signer = new SignatureV4({ service: "bedrock", region, credentials, sha256: Sha256 });
  const request = new HttpRequest({
    method: "POST",
    protocol: "https",
    hostname: "bedrock.amazonaws.com",
    headers: { host: "bedrock.amazonaws.com" },
    path: "/",
    query: { Action: "CallWithBearerToken" },
  });
  const presigned = await signer.presign(request, { expiresIn: expiresInSeconds, signingDate });
  // formatUrl (which the generator uses) writes the parameters sorted by name.
  const params = presigned.query ?? {};
  const query = Object.keys(params)
    .sort()
    .map((k) => `${encode(k)}=${encode(String(params[k]))}`)
    .join("&");
  const url = `bedrock.amazonaws.com/?${query}&Version=1`;
  return "bedrock-api-key-" + Buffer.from(url, "utf8").toString("base64");
}

/** RFC 3986 encoding, as @aws-sdk/util-format-url writes query strings. */
function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
