#!/usr/bin/env node
/**
 * `npm run demo`: the console on http://localhost:3000 against the local AWS sandbox, no AWS account.
 * Migrates its own SQLite file (data/demo.db), seeds demo users, starts the sandbox (state kept in
 * data/sandbox-state.json so a restart keeps keys and traffic), on first run seeds keys, requests
 * and traffic for the demo users (scripts/seed-demo-data.ts), builds the app if sources changed,
 * and serves it. Ctrl-C stops everything.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, "data");
mkdirSync(dataDir, { recursive: true });

function portSetting(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`✖ ${name} must be a port number (1-65535), got "${raw}".`);
    process.exit(2);
  }
  return n;
}
const PORT = portSetting("PORT", 3000);
const SANDBOX_PORT = portSetting("SANDBOX_PORT", 4566);
const IDP_PORT = portSetting("IDP_PORT", 4400);
const SMTP_PORT = portSetting("SMTP_PORT", 2525);
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
  // Single sign-on against the demo OpenID provider (idp/main.mjs, users in idp/users.json). The
  // group mappings are declared here (the settings page shows them read-only); run with
  // OIDC_GROUP_MAPPINGS= (empty) to edit them on the page instead.
  OIDC_ISSUER: `http://127.0.0.1:${IDP_PORT}`,
  OIDC_CLIENT_ID: "demo-console",
  OIDC_CLIENT_SECRET: "demo-idp-client-secret",
  OIDC_SCOPES: "openid email profile groups",
  OIDC_DISPLAY_NAME: "Demo IdP",
  OIDC_GROUP_MAPPINGS:
    process.env.OIDC_GROUP_MAPPINGS ??
    JSON.stringify([
      { group: "console-admins", role: "admin" },
      { group: "platform-leads", role: "lead", teams: ["Payments"], leads: ["Payments"] },
      { group: "platform-devs", role: "developer", teams: ["Payments"] },
    ]),
  IDP_PORT: String(IDP_PORT),
  SMTP_PORT: String(SMTP_PORT),
  IDP_CLIENT_ID: "demo-console",
  IDP_CLIENT_SECRET: "demo-idp-client-secret",
  IDP_REDIRECT_URIS: `http://localhost:${PORT}/api/auth/callback/oidc`,
  IDP_POST_LOGOUT_REDIRECT_URIS: `http://localhost:${PORT}/signin`,
};

// Long-running children (the sandbox, the console). Each is started as its own process group
// (detached), so stopping it reaches everything it started too — npx/npm wrappers once passed
// SIGTERM only to themselves and left the sandbox serving. Node is run directly, not through npx.
const children = new Set();
let stopping = false;
/** Stops every child and exits; the returned promise never resolves, so `await stopAll()` halts. */
function stopAll(code = 0) {
  const halt = new Promise(() => {});
  if (stopping) return halt;
  stopping = true;
  if (children.size === 0) process.exit(code);
  for (const child of children) signalGroup(child, "SIGTERM");
  // Give them a moment to shut down cleanly, then make sure nothing is left.
  const deadline = Date.now() + 5_000;
  const timer = setInterval(() => {
    if (children.size === 0 || Date.now() > deadline) {
      for (const child of children) signalGroup(child, "SIGKILL");
      clearInterval(timer);
      process.exit(code);
    }
  }, 100);
  return halt;
}
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
process.on("SIGHUP", () => stopAll(0));
// Whatever ends this process, its children's groups go with it.
process.on("exit", () => {
  for (const child of children) signalGroup(child, "SIGKILL");
});

const node = process.execPath;
const tsx = ["--import", "tsx"];
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);

async function step(title, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(node, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed (${result.signal ? `signal ${result.signal}` : `exit ${result.status}`}).`);
    await stopAll(result.status || 1);
  }
}

/**
 * The console logs JSON lines (pino), which suit a log collector, not a person watching the demo:
 * show each as "  · 12:04:31 usage synced — inserted 271, ms 3560". Anything else passes unchanged.
 */
const LOG_LEVELS = { 10: "trace", 20: "debug", 30: "", 40: "warning: ", 50: "error: ", 60: "fatal: " };
function readableLogLine(line) {
  if (!line.startsWith("{")) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== "object" || entry === null || typeof entry.msg !== "string") return line;
  const { level, time, msg, ...rest } = entry;
  for (const noise of ["app", "pid", "hostname"]) delete rest[noise];
  const clock = typeof time === "number" ? new Date(time).toISOString().slice(11, 19) : "";
  // Nested objects (an error, a checkpoint) are shown one level flat; long hashes and signatures
  // are cut to their first characters: a person reads "headHash 033770025858…", not 64 hex digits.
  const short = (v) => (typeof v === "string" && /^[0-9a-f]{24,}$/i.test(v) ? `${v.slice(0, 12)}…` : v);
  const show = (v) =>
    typeof v === "object" && v !== null
      ? (v.message ?? Object.entries(v).map(([k2, v2]) => `${k2} ${typeof v2 === "object" && v2 !== null ? JSON.stringify(v2) : short(v2)}`).join(", "))
      : short(v);
  const fields = Object.entries(rest)
    .map(([k, v]) => (typeof v === "object" && v !== null && !Array.isArray(v) && !v.message ? show(v) : `${k} ${show(v)}`))
    .join(", ");
  return `  · ${clock} ${LOG_LEVELS[level] ?? ""}${msg}${fields ? ` — ${fields}` : ""}`;
}
function pipeReadable(from, to) {
  let buffered = "";
  from.setEncoding("utf8");
  from.on("data", (chunk) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop();
    for (const line of lines) to.write(`${readableLogLine(line)}\n`);
  });
  from.on("end", () => buffered && to.write(`${readableLogLine(buffered)}\n`));
}

function start(title, args, { readableLogs = false } = {}) {
  console.log(`\n▶ ${title}`);
  const stdio = readableLogs ? ["ignore", "pipe", "pipe"] : "inherit";
  const child = spawn(node, args, { cwd: root, env, stdio, detached: true });
  if (readableLogs) {
    pipeReadable(child.stdout, process.stdout);
    pipeReadable(child.stderr, process.stderr);
  }
  children.add(child);
  child.on("exit", (code, signal) => {
    children.delete(child);
    // Any exit of a long-running child ends the demo: the rest is useless (or stale) without it.
    if (!stopping) {
      console.error(`\n✖ ${title.replace(/^Starting /, "")} stopped (${signal ? `signal ${signal}` : `exit ${code}`}); stopping the demo.`);
      signalGroup(child, "SIGKILL");
      stopAll(code || 1);
    }
  });
  return child;
}

/** Fails with a clear message when something already listens on the port (a demo left running). */
async function ensurePortFree(port, what, setting) {
  const free = await new Promise((resolve) => {
    const server = createServer();
    server.once("error", (e) => resolve(e.code !== "EADDRINUSE"));
    server.listen(port, () => server.close(() => resolve(true)));
  });
  if (!free) {
    console.error(
      `✖ Port ${port} (${what}) is already in use — perhaps another \`npm run demo\` is still running.\n` +
        `  Stop it, or choose other ports: ${setting}=<port> npm run demo (PORT for the console, SANDBOX_PORT for the sandbox).`,
    );
    process.exit(2);
  }
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
  await stopAll(1);
}

// The Prisma client is rewritten by every `prisma generate` (each demo start): it would make every
// build look stale. It follows prisma/schema.prisma, which is watched instead.
const GENERATED = path.join(root, "lib", "generated");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (full === GENERATED) continue;
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

await ensurePortFree(PORT, "the console", "PORT");
await ensurePortFree(SANDBOX_PORT, "the AWS sandbox", "SANDBOX_PORT");
await ensurePortFree(IDP_PORT, "the demo identity provider", "IDP_PORT");
await ensurePortFree(SMTP_PORT, "the demo mailbox (SMTP)", "SMTP_PORT");

const prisma = bin("prisma", "build/index.js");
const next = bin("next", "dist/bin/next");
await step("Generating the Prisma client", [prisma, "generate"]);
await step("Migrating the demo database (data/demo.db)", [prisma, "migrate", "deploy"]);
await step("Seeding demo users and teams", [...tsx, "scripts/seed-demo.ts"]);
if (buildIsStale()) await step("Building the console", [next, "build"]);
else console.log("\n▶ Build is up to date");

const firstRun = !existsSync(env.SANDBOX_STATE_FILE);
start(`Starting the AWS sandbox on 127.0.0.1:${SANDBOX_PORT}`, [...tsx, "sandbox/src/main.ts"]);
await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/health`, "The sandbox");

// The role that signs short-term keys, created in the sandbox account like an operator would in AWS.
console.log("\n▶ Ensuring the short-term key signing role exists");
const bootstrap = spawnSync(node, [...tsx, "scripts/aws-bootstrap.ts", "--quiet"], { cwd: root, env, encoding: "utf8" });
if (bootstrap.status !== 0) {
  console.error(bootstrap.stderr);
  await stopAll(bootstrap.status || 1);
}
env.SHORT_TERM_ROLE_ARN = bootstrap.stdout.trim().split("\n").pop();
console.log(`  SHORT_TERM_ROLE_ARN=${env.SHORT_TERM_ROLE_ARN}`);

// First run only (a fresh sandbox): keys, requests, short-term keys and 30 days of traffic for the
// demo accounts, through the console's own services, before the console starts, so its start-up
// inventory refresh and usage sync pick everything up. `react-server` lets the console's
// server-only modules load outside Next.js.
if (firstRun) {
  await step("Seeding demo keys, requests and 30 days of Bedrock traffic", [
    "--conditions=react-server",
    ...tsx,
    "scripts/seed-demo-data.ts",
  ]);
}

start(`Starting the demo identity provider on http://127.0.0.1:${IDP_PORT}`, [path.join(root, "idp/main.mjs")]);
await waitFor(`http://127.0.0.1:${IDP_PORT}/_idp/health`, "The identity provider");

// The demo mailbox: a local SMTP server that prints each e-mail the console sends (budget alerts),
// and the console's SMTP settings pointed at it (scripts/demo-mail.ts).
start(`Starting the demo mailbox (SMTP) on 127.0.0.1:${SMTP_PORT}`, [...tsx, "scripts/demo-mail.ts"]);

start(`Starting the console on http://localhost:${PORT}`, [path.join(root, "server.mjs"), "-p", String(PORT)], { readableLogs: true });
await waitFor(`http://localhost:${PORT}/signin`, "The console", 60_000);
console.log(`
  Bedrock Key Console is running: http://localhost:${PORT}
  Demo accounts (password: ${DEMO_PASSWORD}):
    admin@demo.local       admin — everything
    lead@demo.local        team lead of Payments
    dev@demo.local         developer in Payments
    researcher@demo.local  developer in Research
  "Sign in with Demo IdP" (password: idp-password; groups in idp/users.json):
    sso-admin@example.com   console-admins → admin
    sso-lead@example.com    platform-leads → lead of Payments
    sso-dev@example.com     platform-devs  → developer in Payments
    sso-nobody@example.com  marketing      → no access ("ask your administrator")
  AWS sandbox: http://127.0.0.1:${SANDBOX_PORT} (no AWS account involved).
  Demo mailbox: SMTP on 127.0.0.1:${SMTP_PORT}; e-mails the console sends (budget alerts) are printed below with ✉.
  Ctrl-C to stop.
`);
