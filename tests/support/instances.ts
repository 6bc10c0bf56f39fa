/**
 * Several console instances on one PostgreSQL database, for tests/instances.spec.ts: a throw-away
 * cluster (tests/support/pg-cluster.mjs), a sandbox of its own, the committed migrations and the
 * demo people, then `node server.mjs` (what `npm start` runs) as often as asked, each on its own
 * port with the same settings, as a platform team runs them behind a load balancer. Everything is
 * stopped and removed by `stop()`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { freePort, type PgCluster, startPgCluster, withPgClient } from "./pg-cluster.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

export interface Instance {
  name: string;
  url: string;
  process: ChildProcess;
  output: () => string;
}

export interface Instances {
  pgUrl: string;
  sandboxUrl: string;
  /** Starts one more console instance (same database and settings, its own port). */
  start(name: string): Promise<Instance>;
  /** SQL on the console's database. */
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

async function waitFor(url: string, what: string, proc?: ChildProcess, output?: () => string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}:\n${output?.() ?? ""}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s:\n${output?.() ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function spawnLogged(command: string, args: string[], env: Record<string, string | undefined>) {
  const proc = spawn(command, args, { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString("utf8")).slice(-20_000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  return { proc, output: () => out };
}

export async function startInstances(settings: Record<string, string>): Promise<Instances> {
  const tmp = mkdtempSync(path.join(tmpdir(), "bkc-instances-"));
  const children: ChildProcess[] = [];
  let cluster: PgCluster | undefined;
  const stop = async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
    cluster?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    cluster = await startPgCluster();
    await withPgClient(cluster.url(), (admin) => admin.query("CREATE DATABASE console"));
    const pgUrl = cluster.url("console");

    const sandboxPort = await freePort();
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const sandbox = spawnLogged(process.execPath, ["--import", "tsx", "sandbox/src/main.ts"], {
      ...process.env,
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_HOST: "127.0.0.1",
      SANDBOX_STATE_FILE: "",
    });
    children.push(sandbox.proc);
    await waitFor(`${sandboxUrl}/_sandbox/health`, "the sandbox", sandbox.proc, sandbox.output);

    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !["DATABASE_URL", "NODE_ENV", "PORT"].includes(k)));
    const env: Record<string, string | undefined> = {
      ...inherited,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: pgUrl,
      // One secret for all instances: a session signed by one is valid on the others.
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_TRUST_HOST: "true",
      AWS_ENDPOINT_URL: sandboxUrl,
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: path.join(tmp, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "no-aws-credentials"),
      AUDIT_CHECKPOINT_FILE: path.join(tmp, "audit-checkpoints.jsonl"),
      SEED_DEMO: "1",
      DEMO_PASSWORD: "demo-password",
      ...settings,
    };
    for (const [name, args] of [
      ["migrate", [bin("prisma"), "migrate", "deploy"]],
      ["seed", [bin("tsx"), "scripts/seed-demo.ts"]],
    ] as const) {
      const [command, ...rest] = args;
      const result = spawnSync(command, rest, { cwd: root, env: env as NodeJS.ProcessEnv, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    }

    const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
      return withPgClient(pgUrl, async (client) => (await client.query<T>(sql, params)).rows);
    };

    return {
      pgUrl,
      sandboxUrl,
      query,
      stop,
      async start(name) {
        const port = await freePort();
        const started = spawnLogged(process.execPath, [path.join(root, "server.mjs"), "-p", String(port), "-H", "127.0.0.1"], { ...env, PORT: String(port) });
        children.push(started.proc);
        const url = `http://127.0.0.1:${port}`;
        await waitFor(`${url}/api/health?ready`, `console instance ${name}`, started.proc, started.output);
        return { name, url, process: started.proc, output: started.output };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
