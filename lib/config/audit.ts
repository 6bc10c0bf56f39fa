import { configSchema } from "./schema";

/**
 * The audit settings alone, for code that runs both in the app and in the command-line scripts
 * (`npm run user:create`, `audit:verify`): unlike `config()` this module is not server-only and
 * needs only AUTH_SECRET / AUDIT_HMAC_KEY, so a script can write and check the keyed audit chain
 * with the same environment the server has.
 */
const auditSchema = configSchema.pick({ AUTH_SECRET: true, AUDIT_HMAC_KEY: true, AUDIT_CHECKPOINT_FILE: true, AUDIT_CHECKPOINT_MINUTES: true });

export type AuditSettings = ReturnType<typeof auditSchema.parse>;

let cached: AuditSettings | undefined;

export function auditSettings(): AuditSettings {
  if (!cached) {
    const env = Object.fromEntries(
      ["AUTH_SECRET", "AUDIT_HMAC_KEY", "AUDIT_CHECKPOINT_FILE", "AUDIT_CHECKPOINT_MINUTES"].map((k) => [k, process.env[k] || undefined]),
    );
    const result = auditSchema.safeParse(env);
    if (!result.success) {
      const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${env[String(i.path[0])] === undefined ? "is required but not set" : i.message}`);
      throw new Error(`The audit log needs its key settings:\n${lines.join("\n")}`);
    }
    cached = result.data;
  }
  return cached;
}
