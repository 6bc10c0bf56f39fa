/**
 * CloudTrail trail delivery into S3, as an organisation trail does it (issue 19):
 *
 *   <prefix>AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/
 *       <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz      gzip of {"Records":[…]}
 *   <prefix>AWSLogs/<org-id>/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
 *       <account>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHmmssZ>.json.gz
 *
 * Every record the sandbox stores (recordEvent, bulk inserts) is queued per trail, account, region
 * and 5-minute window of its eventTime; the file is delivered `trailDelaySeconds` after the
 * window's first event (sandbox clock) and named with that delivery time, whose date is the
 * folder — AWS names files by delivery time too, so an event of 23:58 can land in the next day's
 * folder. Back-dated records (the traffic generator) are therefore due at once and land in the
 * date folders of their own time. Digest files list the log files of each delivery round.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { nowMs } from "../clock.js";
import type { CloudTrailRecordLike } from "../cloudtrail/store.js";
import type { SandboxState } from "../state.js";
import { notifyObjectCreated } from "./notify.js";
import { type Bucket, closeWorld, createBucket, managementAccountId, putObject, saveConfig, type Trail, type World, worldOf } from "./world.js";

export const WINDOW_MS = 5 * 60_000;
const UNIQUE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export interface TrailInput {
  name?: unknown;
  bucket?: unknown;
  orgId?: unknown;
  prefix?: unknown;
  homeRegion?: unknown;
  accounts?: unknown;
  regions?: unknown;
  digests?: unknown;
}

/** Creates (or replaces) an organisation trail; its bucket is created in the management account if missing. */
export function createTrail(state: SandboxState, input: TrailInput): Trail {
  const world = worldOf(state);
  const name = typeof input.name === "string" ? input.name : "organization-trail";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(name)) throw new Error("trail name: 3-128 letters, digits, . _ -, starting with a letter or digit");
  if (typeof input.bucket !== "string") throw new Error("bucket is required");
  const orgId = typeof input.orgId === "string" ? input.orgId : "o-exampleorgid";
  if (!/^o-[a-z0-9]{10,32}$/.test(orgId)) throw new Error("orgId must look like o-exampleorgid (o- and 10-32 lowercase letters or digits)");
  const strings = (v: unknown, what: string, re: RegExp): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string" && re.test(x))) throw new Error(`${what} must be an array of ${re.source}`);
    return v as string[];
  };
  const prefix = typeof input.prefix === "string" ? input.prefix.replace(/^\/+/, "") : "";
  const trail: Trail = {
    name,
    bucket: input.bucket,
    prefix: prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix,
    orgId,
    homeRegion: typeof input.homeRegion === "string" ? input.homeRegion : "us-east-1",
    accounts: strings(input.accounts, "accounts", /^\d{12}$/),
    regions: strings(input.regions, "regions", /^[a-z]{2}(-[a-z]+)+-\d$/),
    digests: input.digests !== false,
  };
  const mgmt = managementAccountId(world);
  const existing = world.buckets.get(trail.bucket);
  if (existing && existing.owner !== mgmt) throw new Error(`bucket ${trail.bucket} belongs to account ${existing.owner}, not the management account ${mgmt}`);
  if (!existing) createBucket(world, { name: trail.bucket, account: mgmt, region: trail.homeRegion, now: nowMs(state) });
  world.trails.set(trail.name, trail);
  saveConfig(world);
  return trail;
}

function covers(trail: Trail, account: string, region: string): boolean {
  return (trail.accounts.length === 0 || trail.accounts.includes(account)) && (trail.regions.length === 0 || trail.regions.includes(region));
}

/**
 * Queues records an account just stored for the trails that cover it. Called by recordEvent and
 * the bulk insert; costs one map lookup when there is no trail.
 */
export function queueForTrails(state: SandboxState, records: readonly CloudTrailRecordLike[], jsons?: readonly string[]): void {
  const world = worldOf(state);
  if (world.trails.size === 0) return;
  // An organisation trail covers the organisation's members; an account that left is not logged.
  if (!state.org.member) return;
  const delayMs = world.opts.trailDelaySeconds * 1000;
  for (const trail of world.trails.values()) {
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (!covers(trail, state.accountId, r.awsRegion)) continue;
      const t = Date.parse(r.eventTime);
      const window = Math.floor(t / WINDOW_MS) * WINDOW_MS;
      const id = `${trail.name}|${state.accountId}|${r.awsRegion}|${window}`;
      let batch = world.pending.get(id);
      if (!batch) {
        batch = { trail: trail.name, account: state.accountId, region: r.awsRegion, dueMs: t + delayMs, records: [] };
        world.pending.set(id, batch);
      }
      batch.dueMs = Math.min(batch.dueMs, t + delayMs);
      batch.records.push({ t, json: jsons?.[i] ?? JSON.stringify(r) });
    }
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** `YYYY/MM/DD` and `YYYYMMDDTHHmmZ` (or with seconds) of an instant, UTC. */
export function datePath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

export function stamp(ms: number, seconds = false): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ""}Z`;
}

/** 16 characters that only prevent overwrites (AWS: "has no meaning"); not a secret, so Math.random. */
function uniqueString(): string {
  let s = "";
  for (let i = 0; i < 16; i++) s += UNIQUE_CHARS[Math.floor(Math.random() * UNIQUE_CHARS.length)];
  return s;
}

export function logFileKey(trail: Trail, account: string, region: string, deliveredMs: number): string {
  return `${trail.prefix}AWSLogs/${trail.orgId}/${account}/CloudTrail/${region}/${datePath(deliveredMs)}/${account}_CloudTrail_${region}_${stamp(deliveredMs)}_${uniqueString()}.json.gz`;
}

export interface DeliveredFile {
  trail: Trail;
  account: string;
  region: string;
  key: string;
  deliveredMs: number;
  oldest: number;
  newest: number;
  sha256: string;
  count: number;
}

/** Writes one log file (records as given; they are sorted by time) and notifies. */
export function writeLogFile(
  world: World,
  trail: Trail,
  bucket: Bucket,
  f: { account: string; region: string; deliveredMs: number; records: Array<{ t: number; json: string }>; gzipLevel?: number; notify?: boolean },
): DeliveredFile {
  f.records.sort((a, b) => a.t - b.t);
  const text = `{"Records":[${f.records.map((r) => r.json).join(",")}]}`;
  const body = gzipSync(text, { level: f.gzipLevel ?? 6 });
  const key = logFileKey(trail, f.account, f.region, f.deliveredMs);
  const obj = putObject(world, bucket, key, body, { now: f.deliveredMs, contentType: "application/json" });
  world.stats.filesDelivered++;
  world.stats.recordsDelivered += f.records.length;
  if (f.notify !== false) notifyObjectCreated(world, bucket, obj);
  return {
    trail,
    account: f.account,
    region: f.region,
    key,
    deliveredMs: f.deliveredMs,
    oldest: f.records[0]!.t,
    newest: f.records[f.records.length - 1]!.t,
    sha256: createHash("sha256").update(body).digest("hex"),
    count: f.records.length,
  };
}

/** Writes the digest files for a set of delivered log files (one per trail/account/region). */
export function writeDigests(world: World, files: DeliveredFile[], opts: { notify?: boolean; gzipLevel?: number } = {}): void {
  const groups = new Map<string, DeliveredFile[]>();
  for (const f of files) {
    if (!f.trail.digests) continue;
    const id = `${f.trail.name}|${f.account}|${f.region}`;
    const list = groups.get(id) ?? [];
    list.push(f);
    groups.set(id, list);
  }
  for (const [id, list] of groups) {
    const { trail, account, region } = list[0]!;
    const bucket = world.buckets.get(trail.bucket);
    if (!bucket) continue;
    const prev = world.lastDigest.get(id);
    // Dated by the files it covers (back-dated deliveries get back-dated digests), one second
    // later if a digest already has that name.
    let end = list.reduce((m, f) => Math.max(m, f.deliveredMs), 0) + 1000;
    const keyAt = (ms: number) => `${trail.prefix}AWSLogs/${trail.orgId}/${account}/CloudTrail-Digest/${region}/${datePath(ms)}/${account}_CloudTrail-Digest_${region}_${trail.name}_${trail.homeRegion}_${stamp(ms, true)}.json.gz`;
    while (bucket.objects.has(keyAt(end))) end += 1000;
    const start = prev && prev.endMs < end ? prev.endMs : end - 3_600_000;
    const key = keyAt(end);
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const digest = {
      awsAccountId: account,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: trail.bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: createHash("md5").update(`sandbox-${trail.name}`).digest("hex"),
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: iso(list.reduce((m, f) => Math.max(m, f.newest), 0)),
      oldestEventTime: iso(list.reduce((m, f) => Math.min(m, f.oldest), Infinity)),
      previousDigestS3Bucket: prev ? prev.bucket : null,
      previousDigestS3Object: prev ? prev.key : null,
      previousDigestHashValue: prev ? prev.hash : null,
      previousDigestHashAlgorithm: prev ? "SHA-256" : null,
      previousDigestSignature: prev ? createHash("sha256").update(`sig:${prev.key}`).digest("hex") : null,
      logFiles: list.map((f) => ({
        s3Bucket: trail.bucket,
        s3Object: f.key,
        hashValue: f.sha256,
        hashAlgorithm: "SHA-256",
        newestEventTime: iso(f.newest),
        oldestEventTime: iso(f.oldest),
      })),
    };
    const body = gzipSync(JSON.stringify(digest), { level: opts.gzipLevel ?? 6 });
    const obj = putObject(world, bucket, key, body, { now: end, contentType: "application/json" });
    world.lastDigest.set(id, { endMs: end, key, bucket: trail.bucket, hash: createHash("sha256").update(body).digest("hex") });
    world.stats.digestsDelivered++;
    if (opts.notify !== false) notifyObjectCreated(world, bucket, obj);
  }
}

/** Delivers every batch whose time has come on the sandbox clock (or all of them with `force`). */
export function deliverDue(world: World, force = false): number {
  if (world.pending.size === 0) return 0;
  const root = world.accounts.values().next().value as SandboxState | undefined;
  if (!root) return 0;
  const now = nowMs(root);
  const delivered: DeliveredFile[] = [];
  for (const [id, batch] of world.pending) {
    if (!force && batch.dueMs > now) continue;
    world.pending.delete(id);
    const trail = world.trails.get(batch.trail);
    const bucket = trail ? world.buckets.get(trail.bucket) : undefined;
    if (!trail || !bucket) continue; // the trail or its bucket went away: CloudTrail cannot deliver
    delivered.push(writeLogFile(world, trail, bucket, { account: batch.account, region: batch.region, deliveredMs: batch.records.reduce((m, r) => Math.max(m, r.t), batch.dueMs), records: batch.records }));
  }
  writeDigests(world, delivered);
  return delivered.length;
}

/** Delivers due batches now and then every second, until `stop()` (createSandbox owns it). */
export function startDelivery(state: SandboxState): { stop(): void } {
  const timer = setInterval(() => {
    try {
      deliverDue(worldOf(state));
    } catch (e) {
      console.error("sandbox: trail delivery failed", e);
    }
  }, 1000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      closeWorld(worldOf(state));
    },
  };
}
