/**
 * Benchmark: bearer-authenticated Converse calls per second against the sandbox.
 *
 *   npx tsx bench/sandbox-bedrock.ts [--seconds 5] [--concurrency 16]
 *
 * The sandbox runs as a child process (`tsx sandbox/src/main.ts` on a free port), so client and
 * server do not share an event loop. Each scenario runs `concurrency` clients in a closed loop
 * for the given time: long-term key (ABSK), short-term key signed by an assumed role, and the
 * real @aws-sdk/client-bedrock-runtime (HTTP/2) with a long-term key. Every call goes through
 * authentication, two policy evaluations, response generation and a CloudTrail record.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { getToken } from "@aws/bedrock-token-generator";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { ADMIN, assumeAs, createKeyUser, createSignerRole, HELLO, runtimeClient, US_HAIKU } from "../sandbox/src/bedrock/testing.js";

const { values } = parseArgs({ options: { seconds: { type: "string" }, concurrency: { type: "string" } } });
const seconds = Number(values.seconds ?? 5);
const concurrency = Number(values.concurrency ?? 16);

async function startChild(): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/src/main.ts"], {
    env: { ...process.env, SANDBOX_PORT: "0", SANDBOX_STATE_FILE: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill("SIGTERM") };
}

/**
 * CPU time (ms) the sandbox process has used, from /proc (Linux; NaN elsewhere). Server CPU
 * per request is a steadier figure than req/s on a shared 2-core machine, where the client's
 * own CPU and other processes compete with the server.
 */
function serverCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

interface Result {
  name: string;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  serverCpuMsPerRequest: number;
}

/** `concurrency` closed-loop clients for `ms`; returns each call's latency and the error count. */
async function load(call: () => Promise<boolean>, ms: number): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        if (!(await call())) errors += 1;
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, errors };
}

async function run(name: string, call: () => Promise<boolean>): Promise<Result> {
  await load(call, 1500); // warm-up: JIT on both sides, connections, caches
  const started = performance.now();
  const cpuBefore = serverCpuMs(sandbox.pid);
  const { latencies, errors } = await load(call, seconds * 1000);
  const cpuAfter = serverCpuMs(sandbox.pid);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return {
    name,
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    serverCpuMsPerRequest: (cpuAfter - cpuBefore) / latencies.length,
  };
}

const sandbox = await startChild();
try {
  const aws = { endpoint: sandbox.url, region: "us-east-1", credentials: ADMIN, maxAttempts: 1 };
  const iam = new IAMClient(aws);
  const sts = new STSClient(aws);
  const { apiKey } = await createKeyUser(iam, "BedrockAPIKey-bench");
  const roleArn = await createSignerRole(iam, "BenchSigner");
  const shortTerm = await getToken({ credentials: await assumeAs(sts, roleArn, "bench-person"), region: "us-east-1" });
  const body = JSON.stringify(HELLO);
  const path = `${sandbox.url}/model/${encodeURIComponent(US_HAIKU)}/converse`;
  const viaFetch = (token: string) => async () => {
    const res = await fetch(path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
    await res.arrayBuffer();
    return res.status === 200;
  };
  const sdk = runtimeClient(sandbox.url, apiKey);
  const viaSdk = async () => {
    const out = await sdk.send(new ConverseCommand({ modelId: US_HAIKU, messages: [{ role: "user", content: [{ text: "Hello" }] }] }));
    return out.stopReason === "end_turn";
  };
  const results = [
    await run("Converse, short-term key (fetch, HTTP/1.1)", viaFetch(shortTerm)),
    await run("Converse, long-term key (fetch, HTTP/1.1)", viaFetch(apiKey)),
    await run("Converse, long-term key (@aws-sdk/client-bedrock-runtime, HTTP/2)", viaSdk),
  ];
  sdk.destroy();
  iam.destroy();
  sts.destroy();
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${os.platform()} ${os.release()}`);
  console.log(`load: ${concurrency} concurrent clients, ${seconds} s per scenario, sandbox in a child process\n`);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
  console.log("scenario".padEnd(70) + "req/s".padStart(9) + "p50 ms".padStart(9) + "p99 ms".padStart(9) + "srv CPU ms/req".padStart(16) + "errors".padStart(8));
  for (const r of results) {
    console.log(
      r.name.padEnd(70) +
        r.rps.toFixed(0).padStart(9) +
        r.p50.toFixed(2).padStart(9) +
        r.p99.toFixed(2).padStart(9) +
        r.serverCpuMsPerRequest.toFixed(3).padStart(16) +
        String(r.errors).padStart(8),
    );
  }
} finally {
  sandbox.stop();
}
