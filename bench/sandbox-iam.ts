/**
 * Sandbox core benchmark: IAM list throughput and memory with many users and events.
 *
 *   npx tsx bench/sandbox-iam.ts [--seconds 5] [--clients 8] [--users 10000] [--events 1000000]
 *
 * Runs the sandbox as a child process (so its memory and CPU are its own), seeds users and
 * Bedrock keys through the real SDK, measures ListUsers and ListServiceSpecificCredentials
 * (AllUsers) with several concurrent SDK clients, then bulk-loads CloudTrail events through the
 * control API and reports the sandbox's RSS/heap and LookupEvents latency. Talks only to
 * 127.0.0.1 and stops by itself.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  IAMClient,
  ListServiceSpecificCredentialsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = arg("seconds", 5);
const CLIENTS = arg("clients", 8);
const USERS = arg("users", 10_000);
const KEYS = Math.min(USERS, arg("keys", 5_000));
const EVENTS = arg("events", 1_000_000);
const BATCH = 20_000;
const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

async function startChild(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "sandbox/src/main.ts"], {
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_LOOKUP_RPS: "0", SANDBOX_STATE_FILE: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/_sandbox/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("sandbox did not start");
}

interface Health {
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
  counts: Record<string, number>;
  eventStorage: { dictionaryEntries: number; storedBytes: number; slabs: number };
}
const health = async (url: string): Promise<Health> => (await (await fetch(`${url}/_sandbox/health?gc=1`)).json()) as Health;
const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;

/** Runs `task` from many workers, bounded in count by `total`. */
async function pool(total: number, workers: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

let serverPid: number | undefined;

/** CPU seconds the sandbox process has used (Linux /proc), to tell server-bound from client-bound. */
function serverCpuSeconds(): number | undefined {
  if (!serverPid || !existsSync(`/proc/${serverPid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${serverPid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** Requests/s and latency percentiles of `send` from CLIENTS concurrent loops for SECONDS. */
async function measure(name: string, send: (client: number) => Promise<unknown>): Promise<void> {
  const cpu0 = serverCpuSeconds();
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await send(c);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  const cpu1 = serverCpuSeconds();
  const busy = cpu0 !== undefined && cpu1 !== undefined ? `, sandbox CPU ${((100 * (cpu1 - cpu0)) / SECONDS).toFixed(0)}%` : "";
  console.log(
    `${name.padEnd(48)} ${(latencies.length / SECONDS).toFixed(0).padStart(6)} req/s  p50 ${pct(50)} ms  p99 ${pct(99)} ms  (${latencies.length} requests, ${CLIENTS} clients${busy})`,
  );
}

function eventRecord(i: number, now: number): Record<string, unknown> {
  const user = `bench-user-${i % USERS}`;
  return {
    eventVersion: "1.11",
    userIdentity: {
      type: "IAMUser",
      principalId: `AIDABENCH${String(i % USERS).padStart(12, "0")}`,
      arn: `arn:aws:iam::123456789012:user/${user}`,
      accountId: "123456789012",
      userName: user,
    },
    // Spread over 89 days and shuffled within a batch, as a back-dating traffic generator would.
    eventTime: new Date(now - Math.floor(Math.random() * 89 * 86_400_000)).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "bedrock.amazonaws.com",
    eventName: i % 3 === 0 ? "InvokeModel" : "Converse",
    awsRegion: "us-east-1",
    sourceIPAddress: `10.0.${i % 250}.${(i >> 8) % 250}`,
    userAgent: "aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/bedrock-runtime#3.1169.0",
    requestParameters: { modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0" },
    responseElements: null,
    additionalEventData: { callWithBearerToken: true, inferenceRegion: "us-west-2" },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "123456789012",
    eventCategory: "Management",
  };
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log("Sandbox core benchmark (bench/sandbox-iam.ts)");
  console.log(
    `machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${mb(os.totalmem())} RAM, node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild(port);
  serverPid = child.pid;
  const stop = setTimeout(() => {
    console.error("benchmark took too long; stopping");
    child.kill();
    process.exit(1);
  }, 15 * 60_000);
  try {
    const base = await health(url);
    console.log(`sandbox idle: rss ${mb(base.memory.rss)}, heap ${mb(base.memory.heapUsed)}`);
    const clients = Array.from({ length: CLIENTS }, () => new IAMClient({ endpoint: url, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 1 }));

    let t0 = performance.now();
    await pool(USERS, 16, (i) => clients[i % CLIENTS]!.send(new CreateUserCommand({ UserName: `bench-user-${i}` })));
    await pool(KEYS, 16, (i) =>
      clients[i % CLIENTS]!.send(new CreateServiceSpecificCredentialCommand({ UserName: `bench-user-${i}`, ServiceName: "bedrock.amazonaws.com", CredentialAgeDays: 30 })),
    );
    const seedSeconds = (performance.now() - t0) / 1000;
    console.log(`seeded ${USERS} users + ${KEYS} Bedrock keys through the SDK in ${seedSeconds.toFixed(1)} s (${((USERS + KEYS) / seedSeconds).toFixed(0)} writes/s)`);

    await measure("IAM ListUsers (MaxItems 100)", (c) => clients[c]!.send(new ListUsersCommand({ MaxItems: 100 })));
    await measure("IAM ListServiceSpecificCredentials AllUsers (100)", (c) =>
      clients[c]!.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, ServiceName: "bedrock.amazonaws.com", MaxItems: 100 })),
    );
    const afterUsers = await health(url);
    console.log(`memory with ${USERS} users, ${KEYS} keys and ${afterUsers.counts.events} recorded IAM events: rss ${mb(afterUsers.memory.rss)}, heap ${mb(afterUsers.memory.heapUsed)}`);

    t0 = performance.now();
    const now = Date.now();
    for (let done = 0; done < EVENTS; done += BATCH) {
      const n = Math.min(BATCH, EVENTS - done);
      const batch = Array.from({ length: n }, (_, k) => eventRecord(done + k, now));
      const res = await fetch(`${url}/_sandbox/events`, { method: "POST", body: JSON.stringify(batch), headers: { "content-type": "application/json" } });
      if (!res.ok) throw new Error(`event insert failed: ${res.status} ${await res.text()}`);
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    const afterEvents = await health(url);
    console.log(
      `loaded ${EVENTS} events via POST /_sandbox/events in ${loadSeconds.toFixed(1)} s (${(EVENTS / loadSeconds).toFixed(0)} events/s, batches of ${BATCH})`,
    );
    console.log(
      `memory with ${afterEvents.counts.events} stored events: rss ${mb(afterEvents.memory.rss)}, heap ${mb(afterEvents.memory.heapUsed)} (≈ ${((afterEvents.memory.heapUsed - afterUsers.memory.heapUsed) / Math.max(1, EVENTS)).toFixed(0)} bytes of heap per event)`,
    );
    const st = afterEvents.eventStorage;
    console.log(
      `record text: ${(st.storedBytes / Math.max(1, afterEvents.counts.events ?? 1)).toFixed(0)} bytes per event compressed (${mb(st.storedBytes)} in ${st.slabs} slabs of 16 MB; dictionary ${st.dictionaryEntries} pieces; a record is ~${JSON.stringify(eventRecord(0, Date.now())).length} bytes as JSON)`,
    );

    const ct = Array.from({ length: CLIENTS }, () => new CloudTrailClient({ endpoint: url, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 1 }));
    const look = (c: number, input: LookupEventsCommandInput) => ct[c]!.send(new LookupEventsCommand(input));
    await measure("CloudTrail LookupEvents newest 50 (no throttle)", (c) => look(c, { MaxResults: 50 }));
    await measure("LookupEvents Username (scan), 50", (c) =>
      look(c, { MaxResults: 50, LookupAttributes: [{ AttributeKey: "Username", AttributeValue: `bench-user-${c * 7}` }] }),
    );
    await measure("LookupEvents 1-day window 30 days ago, 50", (c) =>
      look(c, { MaxResults: 50, StartTime: new Date(now - 31 * 86_400_000), EndTime: new Date(now - 30 * 86_400_000) }),
    );
  } finally {
    clearTimeout(stop);
    child.kill("SIGTERM");
  }
}

await main();
