/**
 * The deny policy on the short-term role that revokes one person's short-term keys without
 * touching anyone else's (pure; unit-tested).
 *
 * A short-term key is a presigned request signed with a role session's credentials; it cannot
 * be disabled by itself. What can be denied is the session: every session of that person
 * (aws:SourceIdentity) issued before the revocation time (aws:TokenIssueTime). Sessions issued
 * later — that person's new keys — are not matched, nor are other people's.
 */

export const REVOCATION_POLICY_NAME = "BedrockKeyConsoleRevocations";
/** IAM's limit for a role's inline policies (characters, whitespace excluded). */
export const ROLE_INLINE_POLICY_LIMIT = 10_240;
/** The longest a role session (and so a short-term key) can live. */
export const MAX_SESSION_SECONDS = 43_200;

/**
 * What a revoked session may no longer do. bedrock-mantle (the OpenAI- and Anthropic-compatible
 * endpoint) is a separate IAM service that accepts the same short-term keys, so it is denied as a
 * whole: AWS's own "deny Bedrock API keys" SCP names bedrock-mantle:CallWithBearerToken beside
 * bedrock:CallWithBearerToken; `bedrock-mantle:*` also covers a SigV4 call with the session.
 */
export const REVOKED_ACTIONS = ["bedrock:CallWithBearerToken", "bedrock:InvokeModel*", "bedrock-mantle:*"];

export interface Revocation {
  sourceIdentity: string;
  /** ISO time, whole seconds, e.g. 2026-01-31T12:00:01Z */
  revokedBefore: string;
}

/**
 * The revocation time: now rounded *up* to the next whole second. aws:TokenIssueTime has
 * second precision, so a session issued earlier in the current second must still be matched.
 * (New keys are made only once this instant has passed; see waitForCutoff in the service.)
 */
export function revocationCutoff(now: Date): Date {
  return new Date(Math.ceil(now.getTime() / 1000) * 1000 + (now.getTime() % 1000 === 0 ? 1000 : 0));
}

export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Revocations in an existing policy document (statements of other shapes are ignored). */
export function readRevocations(document: string | null): Revocation[] {
  if (!document) return [];
  let parsed: { Statement?: Statement | Statement[] };
  try {
    parsed = JSON.parse(document) as typeof parsed;
  } catch {
    return [];
  }
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const out: Revocation[] = [];
  for (const st of statements) {
    const who = st.Condition?.StringEquals?.["aws:SourceIdentity"];
    const before = st.Condition?.DateLessThan?.["aws:TokenIssueTime"];
    if (st.Effect === "Deny" && typeof who === "string" && typeof before === "string") out.push({ sourceIdentity: who, revokedBefore: before });
  }
  return out;
}

/**
 * Add (or move forward) one person's revocation and drop revocations older than the longest
 * session: every key they covered has expired anyway, and dropping them keeps the policy far
 * below IAM's size limit.
 */
export function mergeRevocations(existing: Revocation[], next: Revocation, now: Date): { revocations: Revocation[]; pruned: number } {
  const keepAfter = now.getTime() - MAX_SESSION_SECONDS * 1000;
  const byPerson = new Map<string, Revocation>();
  for (const r of [...existing, next]) {
    const prev = byPerson.get(r.sourceIdentity);
    if (!prev || Date.parse(r.revokedBefore) > Date.parse(prev.revokedBefore)) byPerson.set(r.sourceIdentity, r);
  }
  const all = [...byPerson.values()];
  const revocations = all.filter((r) => Date.parse(r.revokedBefore) > keepAfter);
  return { revocations, pruned: all.length - revocations.length };
}

/** The policy JSON, or null when nothing is revoked any more (the policy can be deleted). */
export function buildRevocationPolicy(revocations: Revocation[]): string | null {
  if (revocations.length === 0) return null;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: revocations.map((r, i) => ({
      Sid: `RevokeShortTermKeys${i + 1}`,
      Effect: "Deny",
      Action: REVOKED_ACTIONS,
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceIdentity": r.sourceIdentity },
        DateLessThan: { "aws:TokenIssueTime": r.revokedBefore },
      },
    })),
  });
}
