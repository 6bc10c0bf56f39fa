#!/usr/bin/env node
/**
 * `npm run demo`: the console on http://localhost:3000 against the local AWS sandbox, no AWS account.
 * Migrates its own SQLite file (data/demo.db), seeds demo users, starts the sandbox (state kept in
 * data/sandbox-state.json so a restart keeps keys and traffic), generates traffic on first run,
 * builds the app if sources changed, and serves it. Ctrl-C stops everything.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, "data");
mkdirSync(dataDir, { recursive: true });

const PORT = Number(process.env.PORT ?? 3000);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 4566);
const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "demo-password";

// A per-checkout secret, made once: sessions survive demo restarts, and no secret is committed.
const secretFile = path.join(dataDir, "demo-auth-secret");
if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(33).toString("base64"), { mode: 0o600 });

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: "file:./data/demo.db",
  AUTH_SECRET: readFileSync(secretFile, "utf8").trim(),
  AUTH_URL: `http://localhost:${PORT}`,
  AWS_REGION: "us-east-1",
  BEDROCK_REGIONS: process.env.BEDROCK_REGIONS ?? "us-east-1,us-west-2,eu-central-1",
  AWS_ENDPOINT_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
  // AWS's documented example key pair: the sandbox's built-in admin. Never valid on real AWS.
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  SANDBOX_PORT: String(SANDBOX_PORT),
  SANDBOX_STATE_FILE: path.join(dataDir, "sandbox-state.json"),
  SEED_DEMO: "1",
  DEMO_PASSWORD,
};

const children = new Set();
function stopAll(code = 0) {
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed (exit ${result.status}).`);
    stopAll(result.status ?? 1);
  }
}

function start(title, command, args) {
  console.log(`\n▶ ${title}`);
  const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
  children.add(child);
  child.on("exit", (code) => {
    children.delete(child);
    if (code !== null && code !== 0) {
      console.error(`\n✖ ${title} exited with ${code}.`);
      stopAll(code);
    }
  });
  return child;
}

async function waitFor(url, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(`✖ ${what} did not come up at ${url} within ${timeoutMs / 1000}s.`);
  stopAll(1);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "prisma"].map((d) => newestMtime(path.join(root, d)));
  const files = ["next.config.mjs", "proxy.ts", "instrumentation.ts", "package.json"].map((f) => statSync(path.join(root, f)).mtimeMs);
  return Math.max(...sources, ...files) > built;
}

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
step("Generating the Prisma client", npx, ["prisma", "generate"]);
step("Migrating the demo database (data/demo.db)", npx, ["prisma", "migrate", "deploy"]);
step("Seeding demo users and teams", npx, ["tsx", "scripts/seed-demo.ts"]);
if (buildIsStale()) step("Building the console", npx, ["next", "build"]);
else console.log("\n▶ Build is up to date");

const firstRun = !existsSync(env.SANDBOX_STATE_FILE);
start(`Starting the AWS sandbox on 127.0.0.1:${SANDBOX_PORT}`, npx, ["tsx", "sandbox/src/main.ts"]);
await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/health`, "The sandbox");
if (firstRun && existsSync(path.join(root, "sandbox/src/traffic/main.ts"))) {
  step("Generating 30 days of Bedrock traffic in the sandbox", npx, ["tsx", "sandbox/src/traffic/main.ts", "--endpoint", env.AWS_ENDPOINT_URL]);
}

// The role that signs short-term keys, created in the sandbox account like an operator would in AWS.
console.log("\n▶ Ensuring the short-term key signing role exists");
const bootstrap = spawnSync(npx, ["tsx", "scripts/aws-bootstrap.ts", "--quiet"], { cwd: root, env, encoding: "utf8" });
if (bootstrap.status !== 0) {
  console.error(bootstrap.stderr);
  stopAll(bootstrap.status ?? 1);
}
env.SHORT_TERM_ROLE_ARN = bootstrap.stdout.trim().split("\n").pop();
console.log(`  SHORT_TERM_ROLE_ARN=${env.SHORT_TERM_ROLE_ARN}`);

start(`Starting the console on http://localhost:${PORT}`, npx, ["next", "start", "-p", String(PORT)]);
await waitFor(`http://localhost:${PORT}/signin`, "The console", 60_000);
console.log(`
  Bedrock Key Console is running: http://localhost:${PORT}
  Sign in as admin@demo.local, lead@demo.local or dev@demo.local — password: ${DEMO_PASSWORD}
  AWS sandbox: http://127.0.0.1:${SANDBOX_PORT} (no AWS account involved). Ctrl-C to stop.
`);
