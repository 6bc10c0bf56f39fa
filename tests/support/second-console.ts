import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { e2eEnv } from "./e2e-env";
import { E2E_APP2_PORT, E2E_APP2_URL, E2E_IDP_CLIENT } from "./e2e-ports.mjs";

/** A second console (`node server.mjs`, as `npm start` runs it) on the same database, with other settings. */
export async function startSecondConsole(settings: Record<string, string>) {
  const env = e2eEnv();
  const tmp = mkdtempSync(path.join(tmpdir(), "bkc-sso-"));
  let output = "";
  const server: ChildProcess = spawn(process.execPath, ["server.mjs", "-p", String(E2E_APP2_PORT)], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: env.databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUDIT_HMAC_KEY: env.auditHmacKey,
      AUTH_URL: E2E_APP2_URL,
      AWS_ENDPOINT_URL: env.sandboxUrl,
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: path.join(tmp, "none"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "none"),
      AUDIT_CHECKPOINT_FILE: path.join(tmp, "checkpoints.jsonl"),
      // Only the first console runs the schedules.
      INVENTORY_REFRESH_MINUTES: "0",
      USAGE_SYNC_MINUTES: "0",
      REQUEST_JOBS_MINUTES: "0",
      AUDIT_CHECKPOINT_MINUTES: "0",
      POSTURE_EVALUATE_MINUTES: "0",
      LOG_LEVEL: "warn",
      OIDC_CLIENT_ID: E2E_IDP_CLIENT.id,
      OIDC_CLIENT_SECRET: E2E_IDP_CLIENT.secret,
      OIDC_SCOPES: "openid email profile groups",
      OIDC_DISPLAY_NAME: "Test IdP",
      ...settings,
    },
  });
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    // In the run's log like the first console's [app] lines: a failure on the second console
    // (a 500 behind an error page) is otherwise invisible once the test has stopped it.
    process.stderr.write(text.replace(/^(?=.)/gm, "[app2] "));
    output = (output + text).slice(-10_000);
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  const until = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`second console exited:\n${output}`);
    }
    const ok = await fetch(`${E2E_APP2_URL}/signin`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`second console did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { stop };
}

