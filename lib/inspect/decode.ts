/**
 * Decode a pasted Bedrock API key without calling AWS. Pure; the input is never stored or
 * logged, and the results never contain the secret part or the signature.
 *
 * Long-term:  "ABSK" + base64("<IAM user>-at-<account id>:<secret>")  (AWS does not document it)
 * Short-term: "bedrock-api-key-" + base64("bedrock.amazonaws.com/?Action=CallWithBearerToken&
 *             X-Amz-Credential=<access key>/<date>/<region>/bedrock/aws4_request&X-Amz-Date=…&
 *             X-Amz-Expires=…[&X-Amz-Security-Token=…]&X-Amz-Signature=…&Version=1")
 */

export const MAX_KEY_LENGTH = 16_384;
const LONG_PREFIX = "ABSK";
const SHORT_PREFIX = "bedrock-api-key-";

export type DecodedKey =
  | { kind: "long-term"; userName: string; accountId: string }
  | {
      kind: "short-term";
      accessKeyId: string;
      region: string;
      /** X-Amz-Date: when the token was signed. */
      issuedAt: string;
      /** issuedAt + X-Amz-Expires (the signing session may end sooner). */
      expiresAt: string;
      expiresInSeconds: number;
      /** Signed with temporary credentials (a role session) rather than a user's access key. */
      temporaryCredentials: boolean;
    }
  | { kind: "invalid"; reason: "empty" | "tooLong" | "unknownPrefix" | "badEncoding" | "badFormat" };

const invalid = (reason: Extract<DecodedKey, { kind: "invalid" }>["reason"]): DecodedKey => ({ kind: "invalid", reason });

function base64Text(body: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 === 1) return null;
  const text = Buffer.from(body, "base64").toString("utf8");
  // Re-encoding must round-trip and the text must be printable: otherwise it was not base64 of text.
  if (Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "") !== body.replace(/=+$/, "")) return null;
  return /^[\x20-\x7e]+$/.test(text) ? text : null;
}

export function decodeBedrockKey(input: string): DecodedKey {
  // People paste keys with quotes, "Bearer ", or an env-var assignment around them.
  const raw = input
    .trim()
    .replace(/^(export\s+)?AWS_BEARER_TOKEN_BEDROCK=/, "")
    .replace(/^Bearer\s+/i, "")
    .replace(/^["']|["']$/g, "")
    .trim();
  if (!raw) return invalid("empty");
  if (raw.length > MAX_KEY_LENGTH) return invalid("tooLong");
  if (raw.startsWith(LONG_PREFIX)) return decodeLongTerm(raw.slice(LONG_PREFIX.length));
  if (raw.startsWith(SHORT_PREFIX)) return decodeShortTerm(raw.slice(SHORT_PREFIX.length));
  return invalid("unknownPrefix");
}

function decodeLongTerm(body: string): DecodedKey {
  const text = base64Text(body);
  if (!text) return invalid("badEncoding");
  const colon = text.indexOf(":");
  if (colon < 0 || colon === text.length - 1) return invalid("badFormat");
  const m = /^([\w+=,.@-]{1,64})-at-(\d{12})$/.exec(text.slice(0, colon));
  if (!m) return invalid("badFormat");
  return { kind: "long-term", userName: m[1]!, accountId: m[2]! };
}

function decodeShortTerm(body: string): DecodedKey {
  const text = base64Text(body);
  if (!text) return invalid("badEncoding");
  let url: URL;
  try {
    url = new URL(`https://${text}`);
  } catch {
    return invalid("badFormat");
  }
  const q = url.searchParams;
  const credential = q.get("X-Amz-Credential")?.split("/") ?? [];
  const date = q.get("X-Amz-Date") ?? "";
  const expires = Number(q.get("X-Amz-Expires"));
  const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (
    q.get("Action") !== "CallWithBearerToken" ||
    credential.length !== 5 ||
    credential[3] !== "bedrock" ||
    !/^[A-Z0-9]{16,128}$/.test(credential[0]!) ||
    !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(credential[2]!) ||
    !dm ||
    !Number.isInteger(expires) ||
    expires <= 0 ||
    !q.get("X-Amz-Signature")
  ) {
    return invalid("badFormat");
  }
  const issued = new Date(`${dm[1]}-${dm[2]}-${dm[3]}T${dm[4]}:${dm[5]}:${dm[6]}Z`);
  if (Number.isNaN(issued.getTime())) return invalid("badFormat");
  return {
    kind: "short-term",
    accessKeyId: credential[0]!,
    region: credential[2]!,
    issuedAt: issued.toISOString(),
    expiresAt: new Date(issued.getTime() + expires * 1000).toISOString(),
    expiresInSeconds: expires,
    temporaryCredentials: q.has("X-Amz-Security-Token"),
  };
}
