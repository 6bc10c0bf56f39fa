/**
 * S3 buckets, SQS queues and CloudTrail trails of the emulated organisation (issue 19).
 *
 * One "world" per sandbox, shared by all accounts: bucket names are global as on AWS, each bucket
 * belongs to one account; queues belong to an account. Object bodies are kept in memory, or on
 * disk when the sandbox has a directory for them (`<state file>.s3/` or `s3Dir`), so a trail of
 * ten million events does not have to live in the heap. The world hangs off the management
 * account's state object and is rebuilt when a reset replaces the accounts map.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { SandboxState } from "../state.js";

export interface S3Object {
  key: string;
  size: number;
  etag: string; // quoted MD5, as S3 returns it
  lastModified: number; // epoch ms (sandbox clock)
  contentType: string;
  /** Where the body is: segment number and byte offset (see appendBody). */
  seg: number;
  off: number;
}

export interface NotificationConfig {
  id: string;
  /** `arn:aws:sqs:<region>:<account>:<name>` */
  queueArn: string;
  events: string[]; // e.g. ["s3:ObjectCreated:*"]
  prefix?: string;
  suffix?: string;
}

export interface Bucket {
  name: string;
  owner: string; // account id
  region: string;
  created: number;
  /** A bucket policy that denies everyone (tests of access-denied handling). */
  denyAll: boolean;
  notifications: NotificationConfig[];
  objects: Map<string, S3Object>;
  /** Keys in order; new keys wait in `unsorted` and are merged at the next listing. */
  sorted: string[];
  unsorted: string[];
}

export interface SqsMessage {
  id: string;
  body: string;
  md5: string;
  sentAt: number; // real time
  visibleAt: number; // real time
  receiveCount: number;
  firstReceivedAt?: number;
}

export interface Queue {
  name: string;
  account: string;
  region: string;
  created: number;
  visibilityTimeoutSeconds: number;
  receiveWaitSeconds: number;
  messages: Map<string, SqsMessage>;
  waiters: Set<() => void>;
}

export interface Trail {
  name: string;
  bucket: string;
  /** Optional S3 key prefix before `AWSLogs/`. */
  prefix: string;
  orgId: string;
  homeRegion: string;
  /** Accounts whose events are delivered (empty = every account of the organisation). */
  accounts: string[];
  /** Regions delivered (empty = all). */
  regions: string[];
  digests: boolean;
}

/** Records waiting for delivery, per trail/account/region/5-minute window of their eventTime. */
export interface PendingBatch {
  trail: string;
  account: string;
  region: string;
  /** Sandbox time at which the file is delivered (and the time in its name). */
  dueMs: number;
  records: Array<{ t: number; json: string }>;
}

export interface WorldOptions {
  /** Seconds between an event and its delivery in a trail file (AWS: about 5 minutes). */
  trailDelaySeconds: number;
  /** Where object bodies and the configuration are kept; none = memory only. */
  dir?: string;
}

export interface World {
  accounts: Map<string, SandboxState>;
  opts: WorldOptions;
  buckets: Map<string, Bucket>;
  queues: Map<string, Queue>; // `${account}/${name}`
  trails: Map<string, Trail>;
  pending: Map<string, PendingBatch>;
  /** Last digest end per trail/account/region (the next digest starts there). */
  lastDigest: Map<string, { endMs: number; key: string; bucket: string; hash: string }>;
  stats: { filesDelivered: number; recordsDelivered: number; digestsDelivered: number; notificationsSent: number };
  closed: boolean;
  /** The open objects.ndjson (on-disk worlds), appended to on every put. */
  indexFd?: number;
}

const worlds = new WeakMap<SandboxState, World>();
const options = new WeakMap<SandboxState, WorldOptions>();
export const DEFAULT_TRAIL_DELAY_SECONDS = 300;

function rootOf(state: SandboxState): SandboxState {
  return state.accounts.values().next().value ?? state;
}

/** Sets how the world of this sandbox is built (createSandbox calls it once). */
export function configureWorld(state: SandboxState, opts: WorldOptions): World {
  const root = rootOf(state);
  options.set(root, opts);
  worlds.delete(root);
  const world = worldOf(root);
  if (opts.dir) loadWorld(world);
  return world;
}

/** The world of the sandbox this account belongs to; a reset (new accounts map) starts a new one. */
export function worldOf(state: SandboxState): World {
  const root = rootOf(state);
  const existing = worlds.get(root);
  if (existing && existing.accounts === root.accounts) return existing;
  const opts = options.get(root) ?? { trailDelaySeconds: DEFAULT_TRAIL_DELAY_SECONDS };
  if (existing) closeWorld(existing);
  if (existing && opts.dir) {
    // A reset empties S3 and SQS as it empties the accounts.
    rmSync(opts.dir, { recursive: true, force: true });
  }
  const world: World = {
    accounts: root.accounts,
    opts,
    buckets: new Map(),
    queues: new Map(),
    trails: new Map(),
    pending: new Map(),
    lastDigest: new Map(),
    stats: { filesDelivered: 0, recordsDelivered: 0, digestsDelivered: 0, notificationsSent: 0 },
    closed: false,
  };
  worlds.set(root, world);
  return world;
}

/** Stops long polls and closes the object index. */
export function closeWorld(world: World): void {
  world.closed = true;
  for (const q of world.queues.values()) for (const wake of q.waiters) wake();
  if (world.indexFd !== undefined) {
    closeSync(world.indexFd);
    world.indexFd = undefined;
  }
  const s = segmentsOf.get(world);
  if (s) for (const fd of s.fds) if (fd !== undefined) closeSync(fd);
  segmentsOf.delete(world);
}

export function managementAccountId(world: World): string {
  return world.accounts.keys().next().value ?? "123456789012";
}

// --- buckets and objects -------------------------------------------------------------------

const BUCKET_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function createBucket(world: World, input: { name: string; account: string; region: string; now: number }): Bucket {
  if (!BUCKET_NAME.test(input.name) || input.name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(input.name)) {
    throw new Error(`invalid bucket name ${JSON.stringify(input.name)}: 3-63 characters, lowercase letters, digits, dots and hyphens`);
  }
  const existing = world.buckets.get(input.name);
  if (existing) {
    if (existing.owner !== input.account) throw new Error(`bucket ${input.name} already exists in account ${existing.owner}`);
    return existing;
  }
  const bucket: Bucket = {
    name: input.name,
    owner: input.account,
    region: input.region,
    created: input.now,
    denyAll: false,
    notifications: [],
    objects: new Map(),
    sorted: [],
    unsorted: [],
  };
  world.buckets.set(bucket.name, bucket);
  saveConfig(world);
  return bucket;
}

/**
 * Object bodies are appended to segments — 16 MB buffers in memory, or 64 MB files on disk — and
 * an object keeps (segment, offset). A per-object Buffer or file would cost ~200 bytes of heap or
 * a file-system entry each, which matters at millions of trail files. A replaced object's old
 * bytes stay behind (the sandbox never compacts).
 */
const MEMORY_SEGMENT = 16 * 1024 * 1024;
const DISK_SEGMENT = 64 * 1024 * 1024;

interface Segments {
  buffers: Buffer[]; // memory
  fds: number[]; // disk: open for reading and appending
  sizes: number[];
}

const segmentsOf = new WeakMap<World, Segments>();

function segments(world: World): Segments {
  let s = segmentsOf.get(world);
  if (!s) {
    s = { buffers: [], fds: [], sizes: [] };
    segmentsOf.set(world, s);
  }
  return s;
}

function segmentFile(world: World, n: number): string {
  return join(world.opts.dir!, "objects", `segment-${String(n).padStart(5, "0")}.bin`);
}

function appendBody(world: World, body: Buffer): { seg: number; off: number } {
  const s = segments(world);
  const last = s.sizes.length - 1;
  if (world.opts.dir) {
    if (last < 0 || s.sizes[last]! + body.length > DISK_SEGMENT) {
      mkdirSync(join(world.opts.dir, "objects"), { recursive: true });
      s.fds.push(openSync(segmentFile(world, s.sizes.length), "a+"));
      s.sizes.push(0);
    }
    const seg = s.sizes.length - 1;
    const off = s.sizes[seg]!;
    writeSync(s.fds[seg]!, body, 0, body.length, off);
    s.sizes[seg] = off + body.length;
    return { seg, off };
  }
  if (last < 0 || s.sizes[last]! + body.length > s.buffers[last]!.length) {
    s.buffers.push(Buffer.allocUnsafeSlow(Math.max(MEMORY_SEGMENT, body.length)));
    s.sizes.push(0);
  }
  const seg = s.sizes.length - 1;
  const off = s.sizes[seg]!;
  body.copy(s.buffers[seg]!, off);
  s.sizes[seg] = off + body.length;
  return { seg, off };
}

/** Stores an object (replacing one with the same key) and returns it; notifications are the caller's. */
export function putObject(world: World, bucket: Bucket, key: string, body: Buffer, opts: { now: number; contentType?: string }): S3Object {
  if (key.length === 0 || Buffer.byteLength(key) > 1024) throw new Error("object keys are 1 to 1024 bytes");
  const obj: S3Object = {
    key,
    size: body.length,
    etag: `"${createHash("md5").update(body).digest("hex")}"`,
    lastModified: opts.now,
    contentType: opts.contentType ?? "binary/octet-stream",
    ...appendBody(world, body),
  };
  if (world.opts.dir) {
    world.indexFd ??= openSync(join(world.opts.dir, "objects.ndjson"), "a");
    writeSync(world.indexFd, JSON.stringify({ bucket: bucket.name, ...obj }) + "\n");
  }
  if (!bucket.objects.has(key)) bucket.unsorted.push(key);
  bucket.objects.set(key, obj);
  return obj;
}

export function objectBody(world: World, obj: S3Object): Buffer {
  const s = segments(world);
  if (!world.opts.dir) return s.buffers[obj.seg]!.subarray(obj.off, obj.off + obj.size);
  let fd = s.fds[obj.seg];
  if (fd === undefined) {
    // A segment written before a restart: open it now (appends go to a new segment).
    fd = openSync(segmentFile(world, obj.seg), "r");
    s.fds[obj.seg] = fd;
  }
  const out = Buffer.allocUnsafe(obj.size);
  readSync(fd, out, 0, obj.size, obj.off);
  return out;
}

/** All keys in order (merges keys added since the last call; O(n) rather than a sort per put). */
export function sortedKeys(bucket: Bucket): string[] {
  if (bucket.unsorted.length === 0) return bucket.sorted;
  const add = bucket.unsorted.sort(compareKeys);
  bucket.unsorted = [];
  const a = bucket.sorted;
  const merged: string[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < add.length) merged.push(compareKeys(a[i]!, add[j]!) <= 0 ? a[i++]! : add[j++]!);
  while (i < a.length) merged.push(a[i++]!);
  while (j < add.length) merged.push(add[j++]!);
  bucket.sorted = merged;
  return merged;
}

/** S3 lists keys in UTF-8 binary order; for the keys here (mostly ASCII) code-unit order is the same. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- queues --------------------------------------------------------------------------------

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function createQueue(world: World, input: { name: string; account: string; region: string; visibilityTimeoutSeconds?: number; receiveWaitSeconds?: number }): Queue {
  if (!QUEUE_NAME.test(input.name)) throw new Error(`invalid queue name ${JSON.stringify(input.name)}: 1-80 letters, digits, - and _`);
  const id = `${input.account}/${input.name}`;
  const existing = world.queues.get(id);
  if (existing) return existing;
  const queue: Queue = {
    name: input.name,
    account: input.account,
    region: input.region,
    created: Date.now(),
    visibilityTimeoutSeconds: input.visibilityTimeoutSeconds ?? 30,
    receiveWaitSeconds: input.receiveWaitSeconds ?? 0,
    messages: new Map(),
    waiters: new Set(),
  };
  world.queues.set(id, queue);
  saveConfig(world);
  return queue;
}

export function queueArn(q: Queue): string {
  return `arn:aws:sqs:${q.region}:${q.account}:${q.name}`;
}

export function queueByArn(world: World, arn: string): Queue | undefined {
  const m = /^arn:aws:sqs:[a-z0-9-]+:(\d{12}):([A-Za-z0-9_-]+)$/.exec(arn);
  return m ? world.queues.get(`${m[1]}/${m[2]}`) : undefined;
}

export function sendMessage(world: World, queue: Queue, body: string): SqsMessage {
  const msg: SqsMessage = {
    id: uuid(),
    body,
    md5: createHash("md5").update(body).digest("hex"),
    sentAt: Date.now(),
    visibleAt: Date.now(),
    receiveCount: 0,
  };
  queue.messages.set(msg.id, msg);
  for (const wake of queue.waiters) wake();
  return msg;
}

function uuid(): string {
  const h = randomBytes(16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

// --- persistence of the configuration (objects are appended to objects.ndjson as they come) ---

interface SavedConfig {
  buckets: Array<Omit<Bucket, "objects" | "sorted" | "unsorted">>;
  queues: Array<Pick<Queue, "name" | "account" | "region" | "created" | "visibilityTimeoutSeconds" | "receiveWaitSeconds">>;
  trails: Trail[];
}

export function saveConfig(world: World): void {
  if (!world.opts.dir) return;
  mkdirSync(world.opts.dir, { recursive: true });
  const config: SavedConfig = {
    buckets: [...world.buckets.values()].map((b) => ({ name: b.name, owner: b.owner, region: b.region, created: b.created, denyAll: b.denyAll, notifications: b.notifications })),
    queues: [...world.queues.values()].map((q) => ({ name: q.name, account: q.account, region: q.region, created: q.created, visibilityTimeoutSeconds: q.visibilityTimeoutSeconds, receiveWaitSeconds: q.receiveWaitSeconds })),
    trails: [...world.trails.values()],
  };
  const file = join(world.opts.dir, "config.json");
  writeFileSync(`${file}.tmp`, JSON.stringify(config, null, 1));
  renameSync(`${file}.tmp`, file);
}

function loadWorld(world: World): void {
  const dir = world.opts.dir!;
  const file = join(dir, "config.json");
  if (!existsSync(file)) return;
  const config = JSON.parse(readFileSync(file, "utf8")) as SavedConfig;
  for (const b of config.buckets) world.buckets.set(b.name, { ...b, objects: new Map(), sorted: [], unsorted: [] });
  for (const q of config.queues) world.queues.set(`${q.account}/${q.name}`, { ...q, messages: new Map(), waiters: new Set() });
  for (const t of config.trails) world.trails.set(t.name, t);
  // Segments written before: read-only from now on (appends start a new segment).
  const seg = segments(world);
  while (existsSync(segmentFile(world, seg.sizes.length))) seg.sizes.push(DISK_SEGMENT);
  seg.fds = new Array<number>(seg.sizes.length);
  const index = join(dir, "objects.ndjson");
  if (!existsSync(index)) return;
  forEachLine(index, (line) => {
    try {
      const { bucket: name, ...obj } = JSON.parse(line) as S3Object & { bucket: string };
      const bucket = world.buckets.get(name);
      if (!bucket) return;
      if (!bucket.objects.has(obj.key)) bucket.unsorted.push(obj.key);
      bucket.objects.set(obj.key, obj);
    } catch {
      // a torn last line after a crash: the objects before it are kept
    }
  });
}

/** Lines of a file read synchronously in 8 MB chunks (an index of millions of objects exceeds V8's string limit). */
function forEachLine(file: string, fn: (line: string) => void): void {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
    let rest = "";
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      // Split on the last newline in bytes so a multi-byte character is never cut.
      const chunk = buf.subarray(0, n);
      const nl = chunk.lastIndexOf(10);
      if (nl < 0) {
        rest += chunk.toString("utf8");
        continue;
      }
      const text = rest + chunk.subarray(0, nl).toString("utf8");
      rest = chunk.subarray(nl + 1).toString("utf8");
      for (const line of text.split("\n")) if (line) fn(line);
    }
    if (rest) fn(rest);
  } finally {
    closeSync(fd);
  }
}
