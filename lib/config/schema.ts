import { z } from "zod";
import { parseTrustedProxies } from "@/lib/http/client-ip";
import { normaliseAllowedHost } from "@/lib/webhooks/address";

/**
 * Every setting the console reads. `.env.local.example` documents each one; keep both in step.
 * This file is pure (no process.env) so it can be unit-tested; `lib/config/index.ts` applies it.
 */
const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

const regionList = z
  .string()
  .transform((s) => s.split(",").map((r) => r.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be AWS region names like us-east-1")).min(1));

// AWS managed policy names (not ARNs): the console only ever attaches `arn:aws:iam::aws:policy/<name>`.
const policyNameList = z
  .string()
  .transform((s) => s.split(",").map((r) => r.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\w+=,.@-]{1,128}$/, "must be AWS managed policy names like AmazonBedrockMarketplaceAccess")));

// IAM's path pattern: "/" or "/segment(s)/" of printable ASCII, at most 512 characters.
const iamPath = z
  .string()
  .max(512)
  .regex(/^\/([\x21-\x7E]+\/)?$/, "must be an IAM path that starts and ends with /, e.g. /bedrock-key-console/");

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql://")
    .default("file:./data/console.db"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters; generate one with: openssl rand -base64 33"),
  AUTH_URL: z.url().optional(),
  SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(8),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region like us-east-1").default("us-east-1"),
  AWS_ENDPOINT_URL: z.url().optional(),
  BEDROCK_REGIONS: regionList.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FILE: z.string().min(1).optional(),
  SECURE_COOKIES: bool.optional(),
  /**
   * Which X-Forwarded-For hops to believe: a hop count ("1" behind one load balancer) or the
   * proxies' addresses/CIDRs. Unset: the TCP peer's address, and the header is ignored.
   */
  TRUSTED_PROXIES: z
    .string()
    .refine((v) => parseTrustedProxies(v) !== null, "must be a hop count (0-10) or proxy addresses/CIDRs, e.g. 1 or 10.0.0.0/8,127.0.0.1")
    .optional(),
  // ── Keys (issue 4) ──
  /** IAM path of the users the console creates, one per long-term key. Also scopes the console's IAM permissions. */
  KEY_IAM_PATH: iamPath.default("/bedrock-key-console/"),
  /**
   * Optional permissions boundary for the users the console creates. With it, the console's own
   * IAM policy can require the boundary (iam:PermissionsBoundary), so even a compromised console
   * cannot make a user with more than Bedrock access. See docs/aws-permissions.md.
   */
  KEY_PERMISSIONS_BOUNDARY_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/[\x21-\x7E]{1,1000}$/, "must be an IAM policy ARN like arn:aws:iam::123456789012:policy/BedrockKeyConsoleBoundary")
    .optional(),
  /** Extra AWS managed policies an admin may attach to a key besides AmazonBedrockLimitedAccess. */
  ALLOWED_EXTRA_POLICIES: policyNameList.default(["AmazonBedrockMarketplaceAccess"]),
  /** Minutes between scheduled inventory refreshes; 0 turns the schedule off (on-demand refresh still works). */
  INVENTORY_REFRESH_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  /** Minutes between scheduled posture evaluations (issue 16); 0 turns the schedule off ("Evaluate now" still works). */
  POSTURE_EVALUATE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(360),
  /** Role the console assumes per person to sign short-term keys. Unset: short-term keys are off. */
  SHORT_TERM_ROLE_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\x21-\x7E]{1,576}$/, "must be an IAM role ARN like arn:aws:iam::123456789012:role/BedrockShortTermKeys")
    .optional(),
  /** Upper bound for short-term key lifetimes, in hours (AWS's own limit is 12). */
  SHORT_TERM_MAX_HOURS: z.coerce.number().int().min(1).max(12).default(12),
  /** Attempts per AWS call, including the first; throttling and transient errors back off with jitter in between. */
  AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  // ── Usage (issue 5) ──
  /**
   * Minutes between scheduled CloudTrail usage syncs (fractions allowed, e.g. 0.5); 0 turns the
   * schedule off ("Sync now" still works). With several instances it is still one sync per interval.
   */
  USAGE_SYNC_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .refine((m) => m === 0 || m >= 0.1, "must be 0 (off) or at least 0.1 minutes")
    .default(5),
  /**
   * A usage sync holds a database lease, renewed while it runs. If its instance dies (kill -9, a
   * lost host), another instance takes the sync over — resuming from its cursor — once this many
   * seconds have passed without a renewal.
   */
  USAGE_SYNC_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  /**
   * LookupEvents requests per second per region the sync allows itself. AWS allows 2 per account
   * and region, shared with every other LookupEvents caller in the account: lower it to leave room.
   */
  LOOKUP_EVENTS_RPS: z.coerce.number().positive().max(50).default(2),
  /**
   * Each sync re-reads this many minutes before where the previous one ended, because CloudTrail
   * can list an event some minutes after it happened. Re-read events are recognised by their
   * event id and skipped, so this costs requests, never duplicates.
   */
  USAGE_LATE_EVENT_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  // ── Requests, reminders, webhook (issue 6) ──
  /**
   * Minutes between runs of the request jobs: expire approvals not picked up in time, remind
   * requesters of approvals about to expire, remind owners and leads of keys expiring within 7
   * days. 0 turns the schedule off (pick-up still refuses an expired approval).
   */
  REQUEST_JOBS_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(5),
  /** Attempts per webhook delivery, the first included; then it is marked failed in the delivery log. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** Wait before the first retry; each further retry waits twice as long. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** A webhook receiver that has not answered within this many seconds counts as failed. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  /**
   * Hosts the webhook may reach although they resolve to loopback, private, link-local or other
   * internal addresses, and over plain http (comma-separated host names or IPs, no ports). Empty:
   * only https to public addresses. For an internal chat server, or a receiver on this machine.
   */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .transform((s) => s.split(",").map((h) => h.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string())
        .refine((hosts) => hosts.every((h) => normaliseAllowedHost(h) !== null), "must be host names or IP addresses without ports, e.g. chat.internal.example,10.0.0.5")
        .transform((hosts) => hosts.map((h) => normaliseAllowedHost(h)!)),
    )
    .default([]),
  // ── Audit log anchoring (issue 10) ──
  /**
   * Key of the audit log's HMAC chain and of its signed checkpoints. Kept outside the database,
   * so whoever can write the database cannot re-hash rows they changed. Unset: derived from
   * AUTH_SECRET (HKDF-SHA256), so existing installs keep working — then rotating AUTH_SECRET
   * makes older entries unverifiable, so set this (any random string) before you rotate it.
   */
  AUDIT_HMAC_KEY: z.string().min(32, "must be at least 32 characters; generate one with: openssl rand -base64 33").optional(),
  /** Append-only file of signed audit checkpoints (entry count + head hash). Keep it off the database's disk or ship it elsewhere. */
  AUDIT_CHECKPOINT_FILE: z.string().min(1).default("./data/audit-checkpoints.jsonl"),
  /** Minutes between scheduled audit checkpoints; 0 turns the schedule off (`npm run audit:checkpoint` still works). */
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  // ── Production database, several instances (issue 12) ──
  /**
   * PEM file with the CA certificate(s) of the PostgreSQL server (e.g. Amazon RDS's global bundle).
   * Set: TLS to the database, verifying the server against this bundle. TLS can also be asked for
   * in DATABASE_URL (`?sslmode=verify-full`, `&sslrootcert=/path/ca.pem`).
   */
  DATABASE_CA_FILE: z.string().min(1).optional(),
  /** Database connections per console process (PostgreSQL). Instances × this must stay below the server's max_connections. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Usage events (the per-call rows and their raw CloudTrail records) older than this many days
   * are pruned, in batches, by the request-jobs schedule. Daily rollups are kept, so charts of
   * older periods still work; the audit log is never pruned.
   */
  USAGE_RETENTION_DAYS: z.coerce.number().int().min(30).max(36500).default(400),
  /** On SIGTERM, seconds to let in-flight requests and jobs finish before the process exits. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
  // ── Single sign-on, OIDC (issue 13) ──
  /** The identity provider's issuer URL; its /.well-known/openid-configuration is read (discovery). Unset: no SSO. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes asked for; add the one your IdP needs for the groups claim (e.g. "groups" for Okta). */
  OIDC_SCOPES: z
    .string()
    .refine((s) => s.split(/\s+/).includes("openid"), "must include openid, e.g. \"openid email profile\"")
    .default("openid email profile"),
  /** The ID token claim that lists the person's groups (Entra ID and Okta: groups; Keycloak: groups with a mapper). */
  OIDC_GROUPS_CLAIM: z.string().min(1).max(200).default("groups"),
  /** The IdP's name on the sign-in button ("Sign in with Okta"). */
  OIDC_DISPLAY_NAME: z.string().min(1).max(60).default("SSO"),
  /**
   * Group mappings declared by configuration (a fully declarative install; the settings page then
   * shows them read-only). JSON: [{"group":"console-admins","role":"admin","teams":["Payments"],"leads":["Payments"]}].
   * Teams are named; a name that matches no team is ignored (and logged at sign-in).
   */
  OIDC_GROUP_MAPPINGS: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(
          z.strictObject({
            group: z.string().trim().min(1).max(256),
            role: z.enum(["admin", "lead", "developer"]),
            teams: z.array(z.string().trim().min(1)).default([]),
            leads: z.array(z.string().trim().min(1)).default([]),
          }),
        )
        .refine((a) => new Set(a.map((m) => m.group)).size === a.length, "must name each group once"),
    )
    .optional(),
  /** off: the password form is refused except for BREAK_GLASS_EMAILS (needs OIDC_ISSUER). */
  LOCAL_SIGNIN: z.enum(["on", "off"]).default("on"),
  /**
   * Two-step sign-in (TOTP) for password sign-ins: who must use it. none: anyone may turn it on for
   * themselves; admins: admins must enrol at their next password sign-in; everyone: all local
   * accounts must. Single sign-on leaves the second factor to the identity provider.
   */
  MFA_REQUIRED_FOR: z.enum(["none", "admins", "everyone"]).default("none"),
  /**
   * Key that encrypts the TOTP secrets in the database. Unset: derived from AUTH_SECRET (HKDF-SHA256);
   * then rotating AUTH_SECRET makes enrolled authenticators unusable (an admin resets them), so set
   * this before you rotate it.
   */
  MFA_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters; generate one with: openssl rand -base64 33").optional(),
  /** Local accounts that may still sign in with a password when LOCAL_SIGNIN=off (comma-separated emails). */
  BREAK_GLASS_EMAILS: z
    .string()
    .transform((s) => s.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.email("must be email addresses, comma-separated")))
    .default([]),
  // ── Guardrails in AWS (issue 16) ──
  /**
   * Principals (IAM role or user ARNs, `*` wildcards allowed) the console creates long-term keys
   * as, for the generated SCP's "only the console may create Bedrock API keys" statement — add the
   * identity of the console's own credentials here; the roles of accounts added under Accounts are
   * included by themselves. Comma-separated.
   */
  GUARDRAILS_CONSOLE_PRINCIPAL_ARNS: z
    .string()
    .transform((s) => s.split(",").map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^arn:aws[\w-]*:iam::(\d{12}|\*):(role|user)\/[\x21-\x7E]{1,576}$/, "must be IAM role or user ARNs like arn:aws:iam::123456789012:role/BedrockKeyConsole, comma-separated")))
    .default([]),
  // ── Models from AWS (issue 15) ──
  /**
   * Minutes between scheduled reads of the model catalogue (ListFoundationModels and
   * ListInferenceProfiles per account × region); 0 turns the schedule off ("Refresh models" still works).
   */
  MODELS_REFRESH_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(360),
  // ── Budgets and e-mail (issue 15) ──
  /**
   * Minutes between scheduled budget evaluations (thresholds, the action at 100 %, re-enabling
   * when the month turns); each cost ingest also evaluates right after it. 0 turns the schedule off.
   */
  BUDGET_EVALUATE_MINUTES: z.coerce.number().min(0).max(24 * 60).refine((m) => m === 0 || m >= 0.1, "must be 0 (off) or at least 0.1 minutes").default(5),
  /** Attempts per e-mail, the first included; then it is marked failed. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** Wait before the first e-mail retry; each further retry waits twice as long. */
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  // ── Tokens and cost from model invocation logs (issue 15) ──
  /**
   * Read Bedrock's model invocation logs (CloudWatch Logs) for tokens and cost in every usage sync,
   * in each account × region where logging goes to CloudWatch Logs. false: not read at all.
   */
  INVOCATION_LOGS_SYNC: bool.default(true),
  /**
   * FilterLogEvents requests per second per account and region the sync allows itself. AWS allows
   * 5 (not adjustable), shared with every other reader of the account's logs: lower it to leave room.
   */
  FILTER_LOG_EVENTS_RPS: z.coerce.number().positive().max(50).default(5),
  /**
   * Each sync re-reads this many minutes of invocation logs before where the previous one ended
   * (Bedrock delivers records within minutes, not always in order). Records already stored are
   * recognised by their request id and skipped.
   */
  INVOCATION_LOG_LATE_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  /**
   * Minutes between reads of the invocation logs on their own, besides each usage sync's read
   * (fractions allowed, e.g. 0.5): a call's cost shows, and its budget acts, within Bedrock's
   * delivery delay + this. 0: read only with the usage sync (every USAGE_SYNC_MINUTES).
   */
  INVOCATION_LOG_SYNC_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .refine((m) => m === 0 || m >= 0.1, "must be 0 (off) or at least 0.1 minutes")
    .default(1),
});

export type Config = z.infer<typeof configSchema> & { BEDROCK_REGIONS: string[] };

/** Validate raw settings; on failure, one message listing every problem and how to fix it. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings in .env files mean "unset", not "the empty value".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join(".") || "(settings)";
      const message = issue.code === "invalid_type" && cleaned[key] === undefined ? "is required but not set" : issue.message;
      return `  - ${key}: ${message}`;
    });
    throw new ConfigError(
      `Bedrock Key Console cannot start: ${lines.length} setting(s) need attention.\n${lines.join("\n")}\n` +
        "Set them in the environment or in .env.local (see .env.local.example for every setting).",
    );
  }
  const value = result.data;
  const sso = [
    ...(value.OIDC_ISSUER && (!value.OIDC_CLIENT_ID || !value.OIDC_CLIENT_SECRET) ? ["  - OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: are required with OIDC_ISSUER (the client registered at the identity provider)"] : []),
    ...(value.LOCAL_SIGNIN === "off" && !value.OIDC_ISSUER ? ["  - LOCAL_SIGNIN: off needs OIDC_ISSUER, or nobody but break-glass accounts could sign in"] : []),
  ];
  if (sso.length) {
    throw new ConfigError(`Bedrock Key Console cannot start: ${sso.length} setting(s) need attention.\n${sso.join("\n")}\n`);
  }
  return { ...value, BEDROCK_REGIONS: value.BEDROCK_REGIONS ?? [value.AWS_REGION] };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}
