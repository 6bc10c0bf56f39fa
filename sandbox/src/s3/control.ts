/**
 * Control routes for S3, SQS and trails (issue 19); see sandbox/README.md "Organisation trails in S3".
 *   GET  /_sandbox/s3                                   buckets, queues, trails, pending deliveries, counters
 *   POST /_sandbox/s3/buckets {name, account?, region?}  a bucket (default: the management account)
 *   PUT  /_sandbox/s3/buckets/<bucket>/objects/<key>    raw body → an object (bad-input tests); ?contentType=
 *   POST /_sandbox/s3/buckets/<bucket>/deny {deny}       a bucket policy denying everyone (or lifted)
 *   PUT  /_sandbox/s3/buckets/<bucket>/notifications     {queueArn | queue, events?, prefix?, suffix?} or {configurations: […]}
 *   POST /_sandbox/sqs/queues {name, account?, region?}  a queue
 *   GET  /_sandbox/trails, POST /_sandbox/trails {…}     organisation trails
 *   POST /_sandbox/trails/flush {all?}                   deliver due files now (all: also those not yet due)
 *   POST /_sandbox/trails/<name>/synthesize {…}          a big trail straight into files (benchmarks);
 *   GET  /_sandbox/trails/<name>/synthesize              its progress (with {"wait": false})
 */
import type http from "node:http";
import { nowMs } from "../clock.js";
import { sendJson } from "../http.js";
import type { SandboxState } from "../state.js";
import { iterateEvents } from "../traffic/events.js";
import { notifyObjectCreated, setNotifications } from "./notify.js";
import { createTrail, deliverDue, type DeliveredFile, writeDigests, writeLogFile } from "./trail.js";
import { createBucket, createQueue, managementAccountId, type NotificationConfig, putObject, queueArn, saveConfig, sortedKeys, type World, worldOf } from "./world.js";

interface Job {
  state: "running" | "done" | "failed";
  trail: string;
  events: number;
  files: number;
  started: string;
  result?: unknown;
  message?: string;
}

/** The bulk synthesis of each sandbox (one at a time), for `"wait": false` callers to poll. */
const jobs = new WeakMap<World, Job>();

export function isStorageControl(path: string): boolean {
  return /^\/_sandbox\/(s3|sqs|trails)(\/|$)/.test(path);
}

function json(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const v = JSON.parse(body.toString("utf8")) as unknown;
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("body must be a JSON object");
  return v as Record<string, unknown>;
}

function accountOf(world: World, v: unknown): string {
  const id = typeof v === "string" ? v : managementAccountId(world);
  if (!world.accounts.has(id)) throw new Error(`No account ${id}`);
  return id;
}

function overview(world: World) {
  const pending = [...world.pending.values()];
  return {
    trailDelaySeconds: world.opts.trailDelaySeconds,
    buckets: [...world.buckets.values()].map((b) => {
      let bytes = 0;
      for (const o of b.objects.values()) bytes += o.size;
      return { name: b.name, account: b.owner, region: b.region, objects: b.objects.size, bytes, denyAll: b.denyAll, notifications: b.notifications };
    }),
    queues: [...world.queues.values()].map((q) => ({ name: q.name, account: q.account, region: q.region, arn: queueArn(q), messages: q.messages.size })),
    trails: [...world.trails.values()],
    pending: { batches: pending.length, records: pending.reduce((n, b) => n + b.records.length, 0), nextDue: pending.length ? new Date(Math.min(...pending.map((b) => b.dueMs))).toISOString() : null },
    stats: world.stats,
  };
}

export async function handleStorageControl(
  state: SandboxState,
  method: string,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string>,
  body: Buffer,
  res: http.ServerResponse,
): Promise<void> {
  const world = worldOf(state);
  const route = path.replace(/\/+$/, "");
  try {
    if (method === "GET" && (route === "/_sandbox/s3" || route === "/_sandbox/trails")) return sendJson(res, 200, overview(world));
    if (method === "POST" && route === "/_sandbox/s3/buckets") {
      const b = json(body);
      if (typeof b.name !== "string") throw new Error('expected {"name": "<bucket>"}');
      const bucket = createBucket(world, { name: b.name, account: accountOf(world, b.account), region: typeof b.region === "string" ? b.region : "us-east-1", now: nowMs(state) });
      return sendJson(res, 201, { name: bucket.name, account: bucket.owner, region: bucket.region });
    }
    const obj = /^\/_sandbox\/s3\/buckets\/([^/]+)\/objects\/(.+)$/.exec(path);
    if (method === "PUT" && obj) {
      const bucket = world.buckets.get(decodeURIComponent(obj[1]!));
      if (!bucket) return sendJson(res, 404, { message: `No bucket ${obj[1]}` });
      const stored = putObject(world, bucket, decodeURIComponent(obj[2]!), body, { now: nowMs(state), contentType: query.get("contentType") ?? headers["content-type"] ?? "binary/octet-stream" });
      notifyObjectCreated(world, bucket, stored);
      return sendJson(res, 201, { bucket: bucket.name, key: stored.key, size: stored.size, etag: stored.etag });
    }
    const sub = /^\/_sandbox\/s3\/buckets\/([^/]+)\/(deny|notifications)$/.exec(route);
    if (sub && (method === "POST" || method === "PUT")) {
      const bucket = world.buckets.get(decodeURIComponent(sub[1]!));
      if (!bucket) return sendJson(res, 404, { message: `No bucket ${sub[1]}` });
      const b = json(body);
      if (sub[2] === "deny") {
        bucket.denyAll = b.deny !== false;
        saveConfig(world);
        return sendJson(res, 200, { bucket: bucket.name, denyAll: bucket.denyAll });
      }
      const list = Array.isArray(b.configurations) ? (b.configurations as Record<string, unknown>[]) : [b];
      const configs: NotificationConfig[] = list.map((c, i) => {
        const arn = typeof c.queueArn === "string"
          ? c.queueArn
          : typeof c.queue === "string"
            ? `arn:aws:sqs:${typeof c.region === "string" ? c.region : bucket.region}:${accountOf(world, c.account)}:${c.queue}`
            : undefined;
        if (!arn) throw new Error("each configuration needs queueArn or queue");
        return {
          id: typeof c.id === "string" ? c.id : `trail-files-${i + 1}`,
          queueArn: arn,
          events: Array.isArray(c.events) ? (c.events as string[]) : ["s3:ObjectCreated:*"],
          ...(typeof c.prefix === "string" ? { prefix: c.prefix } : {}),
          ...(typeof c.suffix === "string" ? { suffix: c.suffix } : {}),
        };
      });
      setNotifications(world, bucket, configs, nowMs(state));
      return sendJson(res, 200, { bucket: bucket.name, notifications: configs });
    }
    if (method === "POST" && route === "/_sandbox/sqs/queues") {
      const b = json(body);
      if (typeof b.name !== "string") throw new Error('expected {"name": "<queue>"}');
      const q = createQueue(world, {
        name: b.name,
        account: accountOf(world, b.account),
        region: typeof b.region === "string" ? b.region : "us-east-1",
        ...(typeof b.visibilityTimeoutSeconds === "number" ? { visibilityTimeoutSeconds: b.visibilityTimeoutSeconds } : {}),
      });
      return sendJson(res, 201, { name: q.name, account: q.account, arn: queueArn(q), queueUrl: `http://${headers.host ?? "127.0.0.1"}/${q.account}/${q.name}` });
    }
    if (method === "POST" && route === "/_sandbox/trails") {
      const trail = createTrail(state, json(body));
      return sendJson(res, 201, trail);
    }
    if (method === "POST" && route === "/_sandbox/trails/flush") {
      const b = json(body);
      return sendJson(res, 200, { files: deliverDue(world, b.all === true), ...overview(world) });
    }
    const synth = /^\/_sandbox\/trails\/([^/]+)\/synthesize$/.exec(route);
    if (method === "GET" && synth) return sendJson(res, 200, jobs.get(world) ?? { state: "none" });
    if (method === "POST" && synth) {
      const input = json(body);
      const running = jobs.get(world);
      if (running?.state === "running") return sendJson(res, 409, { message: "a synthesis is already running", ...running });
      const job: Job = { state: "running", trail: decodeURIComponent(synth[1]!), events: 0, files: 0, started: new Date().toISOString() };
      jobs.set(world, job);
      const work = synthesize(state, world, job.trail, input, job).then(
        (result) => Object.assign(job, { state: "done", result }),
        (e: unknown) => Object.assign(job, { state: "failed", message: (e as Error).message }),
      );
      // Big trails take minutes, longer than HTTP clients wait for headers: `"wait": false` answers
      // 202 at once and GET on the same path reports progress and the result.
      if (input.wait === false) return sendJson(res, 202, job);
      await work;
      return job.state === "done" ? sendJson(res, 200, job.result) : sendJson(res, 400, { message: job.message });
    }
    return sendJson(res, 404, { message: `No control route ${method} ${path}` });
  } catch (e) {
    sendJson(res, 400, { message: (e as Error).message });
  }
}

/**
 * Writes N synthetic Bedrock runtime records for M accounts over D days straight into trail files
 * (no HTTP per event, not in the LookupEvents store): records from the traffic generator's
 * `iterateEvents` (same shape as real calls), one file per account/region/batch window, digests per
 * hour. Yields to the event loop between files so the sandbox keeps answering.
 */
async function synthesize(state: SandboxState, world: World, name: string, b: Record<string, unknown>, progress: { events: number; files: number }) {
  const trail = world.trails.get(name);
  if (!trail) throw new Error(`No trail ${name}`);
  const bucket = world.buckets.get(trail.bucket);
  if (!bucket) throw new Error(`No bucket ${trail.bucket}`);
  const events = typeof b.events === "number" ? b.events : NaN;
  if (!Number.isInteger(events) || events < 1 || events > 100_000_000) throw new Error("events: an integer 1..100000000");
  const days = typeof b.days === "number" && b.days > 0 ? b.days : 30;
  let accounts: string[];
  if (Array.isArray(b.accounts)) accounts = b.accounts.map(String);
  else {
    const m = typeof b.accounts === "number" && b.accounts > 0 ? b.accounts : 1;
    // The organisation's accounts first, then made-up member ids.
    accounts = [...world.accounts.keys()].slice(0, m);
    for (let i = 0; accounts.length < m; i++) {
      const id = String(210000000000 + i);
      if (!accounts.includes(id)) accounts.push(id);
    }
  }
  if (!accounts.every((a) => /^\d{12}$/.test(a))) throw new Error("accounts: 12-digit ids, or a count");
  const end = typeof b.end === "string" ? Date.parse(b.end) : nowMs(state);
  if (Number.isNaN(end)) throw new Error("end is not a date");
  const from = end - days * 86_400_000;
  const batchMs = (typeof b.batchMinutes === "number" && b.batchMinutes > 0 ? b.batchMinutes : 5) * 60_000;
  const delayMs = (typeof b.delaySeconds === "number" && b.delaySeconds >= 0 ? b.delaySeconds : world.opts.trailDelaySeconds) * 1000;
  const gzipLevel = typeof b.gzipLevel === "number" ? b.gzipLevel : 6;
  const notify = b.notify === true;
  const seed = typeof b.seed === "number" ? b.seed : 1;
  const started = Date.now();
  let files = 0, written = 0, bytes = 0;
  const digestsBefore = world.stats.digestsDelivered;
  for (const [ai, account] of accounts.entries()) {
    if (!trail.accounts.length || trail.accounts.includes(account)) {
      const n = Math.floor(events / accounts.length) + (ai < events % accounts.length ? 1 : 0);
      const open = new Map<string, { window: number; records: Array<{ t: number; json: string }> }>();
      let hour = -1;
      let hourFiles: DeliveredFile[] = [];
      const flush = async (region: string, batch: { window: number; records: Array<{ t: number; json: string }> }) => {
        const first = batch.records[0]!.t;
        const last = batch.records[batch.records.length - 1]!.t;
        const f = writeLogFile(world, trail, bucket, { account, region, deliveredMs: Math.max(first + delayMs, last), records: batch.records, gzipLevel, notify });
        files++;
        progress.files = files;
        progress.events = written;
        bytes += bucket.objects.get(f.key)!.size;
        const h = Math.floor(f.deliveredMs / 3_600_000);
        if (h !== hour && hourFiles.length > 0) {
          writeDigests(world, hourFiles, { notify, gzipLevel });
          hourFiles = [];
        }
        hour = h;
        hourFiles.push(f);
        if (files % 200 === 0) await new Promise((r) => setImmediate(r));
      };
      for (const record of iterateEvents(n, { from, to: end, seed: seed + ai })) {
        if (trail.regions.length && !trail.regions.includes(record.awsRegion)) continue;
        const t = Date.parse(record.eventTime);
        const window = Math.floor(t / batchMs);
        let text = JSON.stringify(record);
        if (account !== "123456789012") text = text.replaceAll("123456789012", account);
        const cur = open.get(record.awsRegion);
        if (cur && cur.window !== window) {
          open.delete(record.awsRegion);
          await flush(record.awsRegion, cur);
        }
        const batch = open.get(record.awsRegion) ?? { window, records: [] };
        batch.records.push({ t, json: text });
        open.set(record.awsRegion, batch);
        written++;
      }
      for (const [region, batch] of open) await flush(region, batch);
      if (hourFiles.length > 0) writeDigests(world, hourFiles, { notify, gzipLevel });
    }
  }
  // Order the new keys now rather than in the first ListObjectsV2 (seconds at millions of keys).
  sortedKeys(bucket);
  return {
    trail: trail.name,
    bucket: bucket.name,
    accounts,
    from: new Date(from).toISOString(),
    to: new Date(end).toISOString(),
    events: written,
    files,
    digests: world.stats.digestsDelivered - digestsBefore,
    bytes,
    seconds: (Date.now() - started) / 1000,
  };
}
