/**
 * Test support: the places in a text (a CSV export, the audit log, a database file's bytes) that
 * look like a Bedrock API key. A long-term key is `ABSK` and the base64 of `<alias>:<secret>`,
 * with an alias of at least `x-at-123456789012`, so at least 24 base64 characters follow the
 * prefix; a short-term key starts `bedrock-api-key-`.
 *
 * The four letters alone are not enough: IAM ids (ACCA…, AIDA…: 17 random characters of A–Z and
 * 2–7 after the prefix) hold `ABSK` about once in 20,000 ids, and a test that lists a few dozen of
 * them failed that way on CI. No IAM id has room for 24 characters after it.
 */
const SECRET_SHAPE = /ABSK[A-Za-z0-9+/]{24,}={0,2}|bedrock-api-key-[A-Za-z0-9+/=_-]*/g;

/** Each key-shaped string found, cut to its first 24 characters for the failure message. */
export function secretShapesIn(text: string | Buffer): string[] {
  const haystack = typeof text === "string" ? text : text.toString("latin1");
  return [...haystack.matchAll(SECRET_SHAPE)].map((m) => `${m[0].slice(0, 24)}… at ${m.index}`);
}
