/**
 * Shared by the HTTP benchmarks (bench/http-pages.ts, bench/posture.ts): start the production
 * server, sign in as a browser without JavaScript does, time a page to its last byte.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ownRoot = path.resolve(import.meta.dirname, "..");

export interface Server {
  name: string;
  base: string;
}

/**
 * The console's production server (`node server.mjs`, what `npm start` runs) on the build in
 * .next/, with its own database and secret, schedules off, and an AWS endpoint nobody listens on
 * (the pages measured read only the database). Pushed onto `servers` so the caller stops it.
 */
export async function startConsole(opts: {
  name: string;
  port: number;
  databaseUrl: string;
  tmp: string;
  servers: ChildProcess[];
  env?: Record<string, string>;
  /** Another checkout to serve instead of this one (its server.mjs and .next/): "before" in a before/after run. */
  root?: string;
  /**
   * "npm start": the package.json script (its memory settings included), the server a child of
   * npm; the pid returned is the server's own. Default: `node server.mjs` itself.
   */
  via?: "node" | "npm start";
}): Promise<Server & { pid: number }> {
  const { name, port, databaseUrl, tmp, servers } = opts;
  const root = opts.root ?? ownRoot;
  const base = `http://127.0.0.1:${port}`;
  // The shell's AWS settings (a profile, real keys) must not reach the servers, nor the memory
  // settings given to the benchmark's own process (its sandbox's heap, say): the servers run with
  // what `npm start` or plain node gives them, unless `env` says otherwise.
  const inherited: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("MALLOC_") && !["DATABASE_URL", "NODE_ENV", "PORT", "NODE_OPTIONS"].includes(k)),
  );
  const out = createWriteStream(path.join(tmp, `${name}.log`));
  const serverArgs = ["-p", String(port), "-H", "127.0.0.1"];
  const child = spawn(...(opts.via === "npm start" ? (["npm", ["start", "--silent", "--", ...serverArgs]] as const) : ([process.execPath, [path.join(root, "server.mjs"), ...serverArgs]] as const)), {
    cwd: root,
    env: {
      ...inherited,
      NODE_ENV: "production", // as server.mjs sets it anyway
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_TRUST_HOST: "true",
      AUTH_URL: base,
      PORT: String(port),
      // Nobody listens on port 9 (discard): any AWS call would fail at once. The pages measured make none.
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: path.join(tmp, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "no-aws-credentials"),
      // No background work while pages are timed.
      INVENTORY_REFRESH_MINUTES: "0",
      USAGE_SYNC_MINUTES: "0",
      REQUEST_JOBS_MINUTES: "0",
      AUDIT_CHECKPOINT_MINUTES: "0",
      AUDIT_CHECKPOINT_FILE: path.join(tmp, `${name}-checkpoints.jsonl`),
      POSTURE_EVALUATE_MINUTES: "0",
      // The model catalogue read and the budget evaluation are schedules too: off, or they collide
      // with a benchmark's bulk load on SQLite (SQLITE_BUSY, logged as errors, which fails the run).
      MODELS_REFRESH_MINUTES: "0",
      BUDGET_EVALUATE_MINUTES: "0",
      // The invocation-log read of every minute (issue 15's latency work) too: it cannot reach AWS
      // here and logs each failed read as an error, which fails the run.
      INVOCATION_LOG_SYNC_MINUTES: "0",
      LOG_LEVEL: "warn",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  servers.push(child);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} server exited with ${child.exitCode}:\n${readFileSync(path.join(tmp, `${name}.log`), "utf8")}`);
    try {
      const r = await fetch(`${base}/api/health?live`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} server did not answer on ${base} within 90 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { name, base, pid: serverPid(child.pid!) };
}

/** The process running server.mjs: `pid` itself or its nearest descendant that does (Linux /proc). */
function serverPid(pid: number): number {
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, "utf8").includes("server.mjs")) return p;
      for (const t of readdirSync(`/proc/${p}/task`)) queue.push(...readFileSync(`/proc/${p}/task/${t}/children`, "utf8").split(" ").filter(Boolean).map(Number));
    } catch {
      // gone, or not Linux
    }
  }
  return pid;
}

const decode = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

/**
 * Signs in as a browser without JavaScript does: GET /signin, then POST the form's fields (the
 * server action's hidden fields, email, password) to it. Returns the Cookie header to send.
 */
export async function signIn(server: Server, email: string, password: string): Promise<string> {
  const page = await fetch(`${server.base}/signin`, { redirect: "manual" });
  const html = await page.text();
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (!form) throw new Error(`${server.name}: no sign-in form on /signin (${page.status})`);
  const body = new FormData();
  for (const input of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    if (name) body.append(decode(name), decode(/value="([^"]*)"/.exec(input[0])?.[1] ?? ""));
  }
  body.append("email", email);
  body.append("password", password);
  const cookies = new Map<string, string>();
  for (const c of page.headers.getSetCookie()) {
    const [pair] = c.split(";");
    cookies.set(pair!.split("=")[0]!, pair!);
  }
  const res = await fetch(`${server.base}/signin`, {
    method: "POST",
    body,
    redirect: "manual",
    headers: { origin: server.base, cookie: [...cookies.values()].join("; ") },
  });
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    cookies.set(pair!.split("=")[0]!, pair!);
  }
  const session = [...cookies.keys()].find((k) => k.includes("session-token"));
  if (res.status !== 303 || !session) {
    throw new Error(`${server.name}: sign-in as ${email} failed (HTTP ${res.status}, cookies ${[...cookies.keys()].join(", ") || "none"})`);
  }
  return [...cookies.values()].join("; ");
}

export interface Sample {
  total: number;
  ttfb: number;
  bytes: number;
}

export async function timePage(server: Server, url: string, cookie: string): Promise<Sample> {
  const t0 = performance.now();
  const res = await fetch(`${server.base}${url}`, { headers: { cookie }, redirect: "manual" });
  const ttfb = performance.now() - t0;
  const body = await res.text();
  const total = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${server.name} ${url}: HTTP ${res.status} ${res.headers.get("location") ?? ""}`);
  return { total, ttfb, bytes: Buffer.byteLength(body) };
}
