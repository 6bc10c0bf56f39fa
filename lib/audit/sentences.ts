import { modelLabel } from "@/lib/keys/catalogue";

/**
 * Audit entries as sentences in the reader's language ("Ada issued nc-review-key for Dana
 * (Payments), 90 days, Haiku only, from 10.0.0.0/8"): one renderer per action code, its words in
 * the "auditSentences" message namespace of every catalog, and a plain fallback for codes this
 * version does not know (old entries, newer writers). The raw JSON stays available beside it.
 * Pure: works in server and client components and in tests, given a translator.
 */

export interface AuditSentenceEntry {
  action: string;
  result: string;
  actorEmail: string | null;
  targetType: string | null;
  targetLabel: string | null;
  /** JSON as stored by appendAudit. */
  details: string;
}

/** next-intl's `t` for the "auditSentences" namespace (or any function like it). */
export type SentenceTranslator = (key: string, values?: Record<string, string | number>) => string;

/** The action filter's choices, grouped by area (the area is the message key of its group label). */
export const AUDIT_ACTION_GROUPS: readonly { area: string; actions: readonly string[] }[] = [
  { area: "keys", actions: ["keys.issue", "keys.disable", "keys.enable", "keys.reset", "keys.apply_restrictions", "keys.delete", "keys.cleanup", "keys.adopt", "keys.refresh", "keys.gone_outside", "keys.export", "inspect.key", "keys.bulk", "keys.bulk_select", "keys.change_owner", "keys.change_team"] },
  { area: "shortterm", actions: ["shortterm.generate", "shortterm.revoke"] },
  { area: "requests", actions: ["requests.submit", "requests.approve", "requests.deny", "requests.pickup", "requests.cancel", "requests.expire"] },
  { area: "people", actions: ["auth.sign_in", "auth.sso_sign_in", "auth.sign_in_failures", "auth.sign_out", "auth.sign_out_everywhere", "users.create", "users.update", "users.deactivate", "users.reactivate", "users.reset_password", "mfa.enrol_start", "mfa.enrol", "mfa.recovery_codes", "mfa.disable", "mfa.reset", "teams.create", "teams.update", "teams.delete", "users.offboard"] },
  { area: "settings", actions: ["policy.update", "webhook.configure", "webhook.test", "profile.locale", "profile.timeZone", "notifications.markRead", "sso.mapping_save", "sso.mapping_delete", "guardrails.export"] },
  { area: "usage", actions: ["usage.sync", "usage.backfill", "usage.trail", "usage.export", "audit.export", "demo.seed"] },
  { area: "accounts", actions: ["accounts.add", "accounts.update", "accounts.status", "accounts.check", "accounts.discover", "models.refresh", "logging.check", "logging.enable"] },
  { area: "budgets", actions: ["budgets.set", "budgets.delete", "budgets.policy", "budgets.threshold", "budgets.evaluate", "mail.configure", "mail.test"] },
  { area: "keyHygiene", actions: ["keys.edit", "keys.rotate", "keys.rotation_pickup", "keys.rotation_finish", "keys.rotation_pickup_expired", "keys.remove_other_credential"] },
  { area: "posture", actions: ["posture.evaluate", "posture.fix", "posture.accept", "posture.reopen", "posture.settings", "posture.remediation_preview", "posture.remediate_now", "posture.remediate"] },
  { area: "cost", actions: ["prices.override", "prices.revert"] },
];

export const KNOWN_AUDIT_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTION_GROUPS.flatMap((g) => g.actions));

/** Message keys cannot contain dots (next-intl nests on them): keys.gone_outside → keys_gone_outside. */
export function actionMessageKey(action: string): string {
  return action.replace(/\./g, "_");
}

type Details = Record<string, unknown>;

export function parseDetails(json: string): Details {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Details) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const obj = (v: unknown): Details => (v && typeof v === "object" && !Array.isArray(v) ? (v as Details) : {});

/** People by email, so sentences say "Ada" rather than "ada@example.com" where the console knows them. */
export type NameOf = (email: string) => string;

/** The short phrases after a key's name: "90 days, Haiku only, from 10.0.0.0/8". */
function keyTerms(d: Details, t: SentenceTranslator): string[] {
  const terms: string[] = [];
  if ("ageDays" in d) terms.push(d.ageDays === null ? t("terms.neverExpires") : t("terms.days", { days: Number(d.ageDays) || 0 }));
  const r = obj(d.restrictions);
  const models = list(r.models);
  if (models.length) terms.push(t("terms.modelsOnly", { models: models.map(modelLabel).join(t("terms.or")) }));
  const cidrs = list(r.cidrs);
  if (cidrs.length) terms.push(t("terms.from", { cidrs: cidrs.join(", ") }));
  if (str(r.notAfter)) terms.push(t("terms.notAfter", { date: str(r.notAfter) }));
  const extra = list(d.extraPolicies);
  if (extra.length) terms.push(t("terms.policies", { policies: extra.join(", ") }));
  return terms;
}

/** Values one action's message needs, beyond actor / target / failed. */
function valuesFor(action: string, d: Details, t: SentenceTranslator, nameOf: NameOf): Record<string, string | number> {
  switch (action) {
    case "auth.sign_in_failures":
      return { attempts: Number(d.attempts) || 0 };
    case "auth.sso_sign_in": {
      const role = d.role;
      const change = obj(role);
      return {
        created: d.created === true ? "yes" : "no",
        deactivated: d.deactivated === true ? "yes" : "no",
        role: str(role) || "—",
        roleChange: str(change.to) ? "yes" : "no",
        from: str(change.from),
        to: str(change.to),
      };
    }
    case "sso.mapping_save": {
      const after = obj(d.after);
      return { hasRole: str(after.role) ? "yes" : "no", role: str(after.role) };
    }
    case "auth.sign_out_everywhere":
      return { sessions: Number(d.sessions) || 0 };
    case "keys.issue": {
      const terms = keyTerms(d, t);
      return { hasOwner: d.ownerEmail ? "yes" : "no", owner: d.ownerEmail ? nameOf(str(d.ownerEmail)) : "—", team: str(d.team) || "—", terms: terms.join(t("terms.separator")), hasTerms: terms.length ? "yes" : "no", via: d.via === "request" ? "request" : "direct" };
    }
    case "keys.disable":
    case "keys.enable":
      return { iamUser: str(d.iamUserName) };
    case "keys.adopt":
      return { owner: d.ownerEmail ? nameOf(str(d.ownerEmail)) : "—" };
    case "keys.delete":
      return { userDeleted: d.userDeleted === true ? "yes" : "no" };
    case "keys.refresh":
      return { trigger: d.trigger === "schedule" ? "schedule" : "manual" };
    case "shortterm.generate":
      return { region: str(d.region) || "—", expires: str(d.expiresAt) ? str(d.expiresAt).slice(0, 16).replace("T", " ") + " UTC" : "—" };
    case "shortterm.revoke":
      return { person: str(d.sourceIdentity) || "—", count: Number(d.activeKeysRevoked) || 0 };
    case "requests.submit": {
      const models = list(d.models);
      return { kind: d.kind === "short-term" ? "short" : "long", team: str(d.team) || "—", duration: Number(d.duration) || 0, models: models.map(modelLabel).join(t("terms.or")), hasModels: models.length ? "yes" : "no", auto: d.autoApproved === true ? "yes" : "no" };
    }
    case "requests.approve":
    case "requests.deny":
      return { requester: d.requester ? nameOf(str(d.requester)) : "—", comment: str(d.comment), hasComment: str(d.comment) ? "yes" : "no" };
    case "requests.expire":
      return { requester: d.requester ? nameOf(str(d.requester)) : "—" };
    case "users.create":
      return { role: str(d.role) || "—" };
    case "users.update": {
      const role = obj(d.role);
      return { roleChange: str(role.to) ? "yes" : "no", from: str(role.from), to: str(role.to) };
    }
    case "policy.update":
      return { version: Number(d.version) || 0 };
    case "webhook.configure": {
      const after = obj(d.after);
      return { enabled: after.enabled === true ? "yes" : "no", host: str(after.host) || "—" };
    }
    case "webhook.test":
      return { host: str(d.host) || "—" };
    case "profile.locale":
      return { locale: str(d.locale) };
    case "profile.timeZone":
      return { timeZone: str(d.timeZone) };
    case "notifications.markRead":
      return { count: Number(d.marked) || 0 };
    case "inspect.key":
      return { kind: d.kind === "short-term" ? "short" : "long" };
    case "usage.sync":
      return { outcome: str(d.outcome) || str(d.status) || "—" };
    case "usage.backfill":
      return { from: str(d.from) || "—" };
    case "usage.trail": {
      const trail = obj(obj(d.after).trail);
      return { enabled: d.enabled === true ? "yes" : "no", bucket: str(trail.bucket) || "—" };
    }
    case "accounts.status":
      return { status: d.after === "paused" ? "paused" : "active" };
    case "accounts.add":
    case "accounts.check":
      return { code: str(d.awsErrorCode) || "—", hasCode: str(d.awsErrorCode) ? "yes" : "no" };
    case "guardrails.export":
      return { kind: d.kind === "boundary" ? "boundary" : "scp", format: d.format === "terraform" ? "terraform" : "json" };
    case "models.refresh":
      return { outcome: ["success", "partial", "failed", "busy"].includes(str(d.outcome)) ? str(d.outcome) : "other", regions: Array.isArray(d.regions) ? d.regions.length : 0 };
    case "logging.check":
      return { regions: Array.isArray(d.regions) ? d.regions.length : 0 };
    case "logging.enable": {
      const created = obj(d.created);
      return { alreadyOn: d.outcome === "already_on" ? "yes" : "no", created: [str(created.logGroup), str(created.role)].filter(Boolean).join(", ") || "—", keptS3: d.keptS3 === true ? "yes" : "no" };
    }
    case "budgets.set": {
      const after = obj(d.after);
      const amount = Number(after.amount) || 0;
      return { amount: after.unit === "tokens" ? `${amount} tokens` : `$${amount}` };
    }
    case "budgets.evaluate":
      return { alerts: Number(d.alertsFired) || 0, actions: Number(d.actionsTaken) || 0 };
    case "budgets.threshold":
      return { thresholds: Array.isArray(d.thresholds) ? d.thresholds.join(", ") : "—", period: str(d.period) || "—" };
    case "mail.configure": {
      const after = obj(d.after);
      return { enabled: after.enabled === true ? "yes" : "no", host: str(after.host) || "—" };
    }
    case "mail.test":
      return { host: str(d.host) || "—" };
    case "keys.bulk": {
      const op = str(d.op);
      return {
        op: ["disable", "enable", "delete", "team", "owner"].includes(op) ? op : "other",
        requested: Number(d.requested) || 0,
        hasCounts: "done" in d ? "yes" : "no",
        done: Number(d.done) || 0,
        failedCount: Array.isArray(d.failed) ? d.failed.length : 0,
        skipped: Array.isArray(d.skipped) ? d.skipped.length : 0,
      };
    }
    case "keys.change_owner":
    case "keys.change_team": {
      // Written by the bulk action (bulkId) and by offboarding's hand-over (offboarding).
      const change = obj(action === "keys.change_owner" ? d.owner : d.team);
      const who = (v: unknown) => (str(v) ? (action === "keys.change_owner" ? nameOf(str(v)) : str(v)) : "—");
      return {
        hasChange: str(change.to) ? "yes" : "no",
        from: who(change.from),
        to: who(change.to),
        unchanged: d.unchanged === true ? "yes" : "no",
        via: str(d.offboarding) ? "offboarding" : str(d.bulkId) ? "bulk" : "other",
      };
    }
    case "users.offboard":
      return {
        hasCounts: "done" in d ? "yes" : "no",
        keys: Number(d.keys) || 0,
        done: Number(d.done) || 0,
        failedCount: Array.isArray(d.failed) ? d.failed.length : 0,
      };
    case "prices.override":
    case "prices.revert": {
      // The price in force after the change (override) or before it (revert), per million tokens.
      const p = obj(action === "prices.override" ? d.after : d.before);
      const has = typeof p.inputPerMTok === "number" && typeof p.outputPerMTok === "number";
      return { hasPrice: has ? "yes" : "no", input: has ? String(p.inputPerMTok) : "—", output: has ? String(p.outputPerMTok) : "—" };
    }
    case "posture.evaluate":
      return {
        trigger: d.trigger === "schedule" ? "schedule" : "manual",
        busy: d.busy === true ? "yes" : "no",
        hasFindings: typeof d.findings === "number" ? "yes" : "no",
        findings: Number(d.findings) || 0,
        calls: Number(d.iamCalls) || 0,
      };
    case "posture.fix": {
      const fix = str(d.fix);
      return { fix: ["disable", "delete", "deleteUser", "detachPolicy"].includes(fix) ? fix : "other", policy: str(d.policy) || "—" };
    }
    case "posture.accept":
      // On success "reason" is the person's justification; on failure it is the error code.
      return { expiresOn: str(d.expiresOn) || "—", justification: str(d.reason), hasJustification: str(d.reason) ? "yes" : "no" };
    case "posture.settings": {
      const after = obj(d.after);
      return {
        hasSettings: "unusedDays" in after ? "yes" : "no",
        unusedDays: Number(after.unusedDays) || 0,
        autoDisable: after.autoDisableUnused === true ? "yes" : "no",
        autoDelete: after.autoDeleteOrphans === true ? "yes" : "no",
        graceDays: Number(after.orphanGraceDays) || 0,
      };
    }
    case "posture.remediation_preview":
      return { hasPlanned: typeof d.planned === "number" ? "yes" : "no", planned: Number(d.planned) || 0 };
    case "posture.remediate_now":
      return { hasCounts: typeof d.disabled === "number" ? "yes" : "no", disabled: Number(d.disabled) || 0, deletedUsers: Number(d.deletedUsers) || 0, failedCount: Number(d.failed) || 0 };
    case "posture.remediate":
      return { change: d.change === "deleteUser" ? "deleteUser" : "disableKey", trigger: d.trigger === "schedule" ? "schedule" : "manual" };
    default:
      return {};
  }
}

/** Why it failed, when the entry says: a short, translated reason or the code itself. */
function failureReason(d: Details, t: SentenceTranslator): string {
  const reason = str(d.reason);
  // Error codes the bulk actions, offboarding and posture write per item (ActionError codes; dots become underscores as in action keys).
  if (["invalidInput", "conflict", "notFound", "unexpected", "bulk.empty", "bulk.tooMany", "bulk.unknownKeys", "bulk.confirmCount", "bulk.unmanaged", "bulk.teamNotLed", "bulk.ownerNotInTeam", "keys.alreadyRemoved", "keys.goneOutside", "keys.cleanupFailed"].includes(reason)) return t(`reasons.${actionMessageKey(reason)}`);
  if (["invalid_input", "forbidden", "unauthenticated", "internal_error", "invalid", "locked", "inactive", "throttled", "no_group", "no_email", "local_signin_off", "check", "rejected", "invalid_token", "unreachable", "wrong_mfa_code", "mfa_enrolment_due", "mfaWrongCode", "guardrailsInvalid"].includes(reason)) return t(`reasons.${reason}`);
  if (str(d.failedStep)) return t("reasons.awsStep", { step: str(d.failedStep), code: str(d.awsCode) || str(d.error) || "—" });
  // Posture's automatic remediation and scheduled evaluation record the error code as "error".
  if (!reason && str(d.error)) return failureReason({ reason: str(d.error) }, t);
  return reason;
}

/** One entry as a sentence. Unknown codes get the fallback, which names the code. */
export function auditSentence(entry: AuditSentenceEntry, t: SentenceTranslator, nameOf: NameOf = (e) => e): string {
  const d = parseDetails(entry.details);
  const failed = entry.result === "success" ? "no" : "yes";
  const actor = !entry.actorEmail || entry.actorEmail === "system" ? t("system") : nameOf(entry.actorEmail);
  const target = entry.targetLabel ?? "—";
  const base = { actor, target, failed, hasTarget: entry.targetLabel ? "yes" : "no" };
  const sentence = KNOWN_AUDIT_ACTIONS.has(entry.action)
    ? t(`actions.${actionMessageKey(entry.action)}`, { ...base, ...valuesFor(entry.action, d, t, nameOf) })
    : t("unknown", { ...base, action: entry.action });
  if (failed === "no") return sentence;
  const reason = failureReason(d, t);
  return reason ? t("failedBecause", { sentence, reason }) : sentence;
}
