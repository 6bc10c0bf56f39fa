#!/usr/bin/env node
// The console as the browser tests see it: a fresh SQLite database in a temp dir, migrated and
// seeded with the demo users, then `next start` on the e2e port against the e2e sandbox.
// Started by playwright.config.ts (webServer "app"), which stops it with SIGTERM; the temp dir
// is deleted then. Needs a production build (`next build`) in .next/.
//
// Writes test-results/e2e-env.json so specs can find the database and the server log.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { E2E_APP_PORT, E2E_APP_URL, E2E_ENV_FILE, E2E_IDP_CLIENT, E2E_IDP_URL, E2E_SANDBOX_URL } from "../tests/support/e2e-ports.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const envFile = path.join(root, E2E_ENV_FILE);
const log = (message) => console.log(`[e2e-server] ${message}`);

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("[e2e-server] No production build in .next/. Run `npx next build` first, or `npm test -- --only=build,e2e`.");
  process.exit(1);
}

const tmpDir = mkdtempSync(path.join(os.tmpdir(), "bkc-e2e-"));
watchForExit();
const dbFile = path.join(tmpDir, "e2e.db");
const logFile = path.join(tmpDir, "server.log");
// Everything the server processes print (Next's own console output included), for specs that
// check what reaches the operator's terminal — e.g. no stack trace per malformed request.
const consoleFile = path.join(tmpDir, "console.log");
const demoPassword = process.env.DEMO_PASSWORD || "demo-password";

// Credentials and endpoint are the sandbox's, set explicitly: whatever AWS settings the
// developer's shell has (a profile, a session token, real keys) must not reach the app, so no
// test can ever talk to real AWS.
const inherited = Object.fromEntries(
  // NODE_ENV too: `next start` sets it, and a leftover "development" or "test" would confuse it.
  Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_") && !["DATABASE_URL", "NODE_ENV"].includes(key)),
);
const env = {
  ...inherited,
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: `file:${dbFile}`,
  AUTH_SECRET: randomBytes(32).toString("base64"),
  // Explicit (not derived from AUTH_SECRET), so a second console a spec starts on the same
  // database (tests/sso.spec.ts) extends the same audit chain.
  AUDIT_HMAC_KEY: randomBytes(33).toString("base64"),
  AUTH_TRUST_HOST: "true",
  AUTH_URL: E2E_APP_URL,
  AWS_ENDPOINT_URL: E2E_SANDBOX_URL,
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_REGION: "us-east-1",
  // The same regions as `npm run demo`, so journeys see what a person trying the demo sees.
  BEDROCK_REGIONS: "us-east-1,us-west-2,eu-central-1",
  // Keep the SDK off ~/.aws and the instance metadata endpoint.
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: path.join(tmpDir, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: path.join(tmpDir, "no-aws-credentials"),
  LOG_FILE: logFile,
  // The browser reaches the app over loopback, as a reverse proxy on the same host would: with
  // loopback trusted, a spec can present itself as a distinct client (X-Forwarded-For), so one
  // spec's sign-in lockouts of "its" address do not lock out the next spec's.
  TRUSTED_PROXIES: "127.0.0.1,::1",
  // Signed audit checkpoints go with the run's database, not into the checkout's data/.
  AUDIT_CHECKPOINT_FILE: path.join(tmpDir, "audit-checkpoints.jsonl"),
  // As much logging as the app can do: a spec that checks the log for leaked secrets should
  // see every line the app could ever write.
  LOG_LEVEL: "trace",
  E2E_TMP_DIR: tmpDir,
  // Single sign-on against the test IdP (playwright.config.ts starts it). Group mappings are made
  // by the specs on the settings page; local sign-in stays on for the other journeys.
  OIDC_ISSUER: E2E_IDP_URL,
  OIDC_CLIENT_ID: E2E_IDP_CLIENT.id,
  OIDC_CLIENT_SECRET: E2E_IDP_CLIENT.secret,
  OIDC_SCOPES: "openid email profile groups",
  OIDC_DISPLAY_NAME: "Test IdP",
  // Models are read from AWS only when a journey asks ("Refresh models"), so every journey before
  // it sees the built-in list and tests/zx-models-logging.spec.ts sees the change.
  MODELS_REFRESH_MINUTES: "0",
  SEED_DEMO: "1",
  DEMO_PASSWORD: demoPassword,
  // Posture evaluations run when a spec clicks "Evaluate now" (tests/posture.spec.ts), never
  // on a timer in the middle of other journeys.
  POSTURE_EVALUATE_MINUTES: "0",
};

let current = null;
let stopping = false;

function cleanUp() {
  rmSync(tmpDir, { recursive: true, force: true });
  rmSync(envFile, { force: true });
}

// Playwright SIGKILLs its web servers when the run is interrupted (Ctrl-C), and then no handler
// of ours runs. So a detached watcher, outside our process group, removes the temp dir (and the
// env file, if it still describes this run) once this process is gone, however it ended.
function watchForExit() {
  const source = `
    import { readFileSync, rmSync } from "node:fs";
    const [pid, dir, file] = process.argv.slice(1);
    // A zombie still answers kill(pid, 0), and a container's init may never reap it.
    const alive = () => {
      try { process.kill(Number(pid), 0); } catch { return false; }
      try { return readFileSync("/proc/" + pid + "/stat", "utf8").split(") ")[1]?.[0] !== "Z"; } catch { return true; }
    };
    setInterval(() => {
      if (alive()) return;
      rmSync(dir, { recursive: true, force: true });
      try { if (JSON.parse(readFileSync(file, "utf8")).tmpDir === dir) rmSync(file, { force: true }); } catch {}
      process.exit(0);
    }, 500);`;
  spawn(process.execPath, ["--input-type=module", "-e", source, String(process.pid), tmpDir, envFile], {
    detached: true,
    stdio: "ignore",
  }).unref();
}

function prefixLines(stream, prefix, out) {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      out.write(`${prefix} ${line}\n`);
      appendFileSync(consoleFile, `${line}\n`);
    }
  });
  stream.on("end", () => rest && out.write(`${prefix} ${rest}\n`));
}

/** Runs one step to completion; the whole server fails if a step does. */
function run(name, command, args) {
  return new Promise((resolve, reject) => {
    log(`${name}: ${[path.relative(root, command), ...args].join(" ")}`);
    const proc = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    current = proc;
    prefixLines(proc.stdout, `[${name}]`, process.stdout);
    prefixLines(proc.stderr, `[${name}]`, process.stderr);
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      current = null;
      if (code === 0) resolve(undefined);
      else reject(new Error(`${name} ${signal ? `was killed by ${signal}` : `exited with ${code}`}`));
    });
  });
}

/** Runs one step to completion and returns its standard output (stderr still goes to ours). */
function capture(name, command, args) {
  return new Promise((resolve, reject) => {
    log(`${name}: ${[path.relative(root, command), ...args].join(" ")}`);
    const proc = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    current = proc;
    let out = "";
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (chunk) => (out += chunk));
    prefixLines(proc.stderr, `[${name}]`, process.stderr);
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      current = null;
      if (code === 0) resolve(out.trim());
      else reject(new Error(`${name} ${signal ? `was killed by ${signal}` : `exited with ${code}`}`));
    });
  });
}

async function shutDown(exitCode) {
  if (stopping) return;
  stopping = true;
  const proc = current;
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGTERM");
    // Next normally stops at once; don't let a hung child keep the temp dir alive.
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        resolve(undefined);
      }, 5_000);
      proc.once("exit", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
  cleanUp();
  log(`stopped, removed ${tmpDir}`);
  process.exit(exitCode);
}

process.on("SIGTERM", () => void shutDown(0));
process.on("SIGINT", () => void shutDown(0));
process.on("SIGHUP", () => void shutDown(0));

try {
  mkdirSync(path.dirname(envFile), { recursive: true });
  writeFileSync(
    envFile,
    `${JSON.stringify(
      {
        tmpDir,
        dbFile,
        databaseUrl: env.DATABASE_URL,
        logFile,
        consoleFile,
        appUrl: E2E_APP_URL,
        sandboxUrl: E2E_SANDBOX_URL,
        idpUrl: E2E_IDP_URL,
        auditHmacKey: env.AUDIT_HMAC_KEY,
        demoPassword,
        pid: process.pid,
      },
      null,
      2,
    )}\n`,
  );
  log(`temp dir ${tmpDir}`);
  await run("migrate", bin("prisma"), ["migrate", "deploy"]);
  await run("seed", bin("tsx"), ["scripts/seed-demo.ts"]);
  // Short-term keys need the signing role. The sandbox starts empty on every run, so create it
  // now (as an operator would with scripts/aws-bootstrap.ts) and hand its ARN to the app.
  const roleArn = await capture("bootstrap", bin("tsx"), ["scripts/aws-bootstrap.ts", "--quiet"]);
  if (!/^arn:aws:iam::\d{12}:role\//.test(roleArn)) throw new Error(`bootstrap printed no role ARN: ${roleArn}`);
  env.SHORT_TERM_ROLE_ARN = roleArn;
  log(`SHORT_TERM_ROLE_ARN=${roleArn}`);
  // Resolves only when the server exits, which it should do only when Playwright stops us.
  // The console's own production server (what `npm start` runs), not bare `next start`.
  await run("next", process.execPath, [path.join(root, "server.mjs"), "-p", String(E2E_APP_PORT)]);
  if (!stopping) {
    console.error("[e2e-server] next start exited on its own");
    await shutDown(1);
  }
} catch (error) {
  if (!stopping) {
    console.error(`[e2e-server] ${error instanceof Error ? error.message : String(error)}`);
    await shutDown(1);
  }
}
