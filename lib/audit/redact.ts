/**
 * Secret redaction for everything the audit log stores. Every free-text column goes through it,
 * not only `details`: an email field, a target label or a User-Agent header is text someone else
 * chose, and a key pasted into the wrong box must not become a permanent, exported audit record.
 */

const SECRET_FIELD = /^(password|passwordHash|secret|token|apiKey|authorization|cookie|serviceCredentialSecret|secretAccessKey|sessionToken)$/i;

const B64 = "A-Za-z0-9/+";
const SECRET_VALUES: RegExp[] = [
  // Bedrock API keys: long-term ABSK…, short-term bedrock-api-key-….
  /ABSK[A-Za-z0-9+/=]{16,}/g,
  /bedrock-api-key-[A-Za-z0-9+/=]{16,}/g,
  // STS session tokens (what travels with an ASIA… access key id): a base64 blob with a
  // well-known prefix, hundreds of characters long.
  /(IQoJb3JpZ2lu|FwoGZXIvYXdz)[A-Za-z0-9+/=]{20,}/g,
  // An AWS secret access key (the half that goes with an AKIA…/ASIA… id): exactly 40 base64
  // characters standing alone. Requiring upper case, lower case and a digit keeps hex digests
  // (SHA-1 commit ids, our own hashes) and ordinary words out; a random key has all three.
  new RegExp(`(?<![${B64}])(?=[${B64}]*[A-Z])(?=[${B64}]*[a-z])(?=[${B64}]*[0-9])[${B64}]{40}(?![${B64}=])`, "g"),
];

/** Mask every key- or secret-shaped substring. The access key *id* stays: it names, it does not grant. */
export function redactText(value: string): string {
  let out = value;
  for (const pattern of SECRET_VALUES) out = out.replace(pattern, "[redacted]");
  return out;
}

/** `redactText` for the nullable text columns. */
export function redactColumn(value: string | null): string | null {
  return value === null ? null : redactText(value);
}

/** Defence in depth: drop secret-named fields and mask key-shaped strings before anything is stored. */
export function redactDetails(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactDetails);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_FIELD.test(k)) continue;
      out[k] = redactDetails(v);
    }
    return out;
  }
  return value;
}
