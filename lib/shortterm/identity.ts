import { createHash } from "node:crypto";

/**
 * The person behind a role session, as STS and CloudTrail will show it. SourceIdentity and
 * RoleSessionName allow 2–64 characters of [\w+=,.@-]; an email address almost always fits as
 * is, so CloudTrail shows something a human recognises. Anything else is replaced, and an
 * over-long value is shortened with a hash suffix so it stays unique and stable: the same person
 * always gets the same identity, which is what per-person revocation matches on.
 */
export function sourceIdentityFor(email: string): string {
  const cleaned = email.trim().toLowerCase().replace(/[^\w+=,.@-]/g, "-");
  if (cleaned.length >= 2 && cleaned.length <= 64) return cleaned;
  const hash = createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 12);
  return `${cleaned.slice(0, 51)}-${hash}`.replace(/^-/, "u");
}
