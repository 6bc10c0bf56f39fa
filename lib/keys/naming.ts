/**
 * IAM user names for console-issued keys: `BedrockAPIKey-<slug>-<4 random>`, like the AWS
 * console's `BedrockAPIKey-xxxx`, with the key's name in the middle so IAM and CloudTrail
 * listings are readable. Pure (Web Crypto only), so the form can preview it.
 */

/**
 * The rule for a key's display name, shared by the schema (server) and the forms' hints (client).
 * IAM tag values allow letters, digits, spaces and _ . : / = + - @ (any script); names stay within
 * that set so they read the same in the console, in IAM tags and in CloudTrail.
 */
export const KEY_NAME_MAX = 64;
export const KEY_NAME_PUNCTUATION = "_ . : / = + - @";
export const KEY_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.:/=+\-@]*$/u;

/** True when a (trimmed) name follows the rule; uniqueness is checked on the server. */
export function isValidKeyName(name: string): boolean {
  const trimmed = name.trim();
  return trimmed.length >= 1 && trimmed.length <= KEY_NAME_MAX && KEY_NAME_PATTERN.test(trimmed);
}

/**
 * How key names compare for uniqueness: ignoring case and Unicode width/compatibility forms
 * ("NC-Review-Key" = "nc-review-key", full-width "ｎｃ" = "nc").
 */
export function nameKey(name: string): string {
  return name.normalize("NFKC").trim().toLocaleLowerCase("und");
}

/** The last characters of a credential id: enough to tell two keys apart on screen. */
export function shortCredentialId(credentialId: string | null): string {
  return credentialId ? `…${credentialId.slice(-6)}` : "—";
}

export const IAM_USER_PREFIX = "BedrockAPIKey-";
/** IAM user names: 1–64 characters of [\w+=,.@-]. */
export const IAM_USER_NAME_MAX = 64;
const SUFFIX_LENGTH = 4;
const SLUG_MAX = IAM_USER_NAME_MAX - IAM_USER_PREFIX.length - 1 - SUFFIX_LENGTH;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** ASCII slug of a key name ("Checkout – prod" → "checkout-prod"); "key" when nothing is left. */
export function keySlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
  return slug || "key";
}

/** Four random characters: enough to keep two keys with the same name apart. */
export function randomSuffix(): string {
  const bytes = new Uint8Array(SUFFIX_LENGTH);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}

export function iamUserNameFor(name: string, suffix: string = randomSuffix()): string {
  return `${IAM_USER_PREFIX}${keySlug(name)}-${suffix}`;
}
