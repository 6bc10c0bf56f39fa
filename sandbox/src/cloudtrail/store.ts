import { fnv1a, JsonCodec } from "./codec.js";

/**
 * CloudTrail event store, one sorted list per region.
 *
 * Memory matters (benchmarks keep 1,000,000 events): each event is one small object with the
 * fields LookupEvents filters on, plus a reference to the full record text (`CloudTrailEvent`),
 * which the codec keeps compressed in shared slabs. Repeated strings (event names, sources,
 * user names, key ids) are interned. The event id is kept only as a hash: a lookup by EventId
 * decodes the few candidates to confirm.
 */
export type ResourceRef = readonly [type: string, name: string];

export interface StoredEvent {
  t: number; // eventTime, epoch ms
  seq: number; // insertion order; breaks ties so paging is a strict total order
  name: string;
  src: string;
  user: string | undefined;
  akid: string | undefined;
  ro: boolean;
  /**
   * A data event (`managementEvent: false`, e.g. bedrock-mantle CreateInference): kept for trail
   * delivery, but LookupEvents (Event history) returns management events only, as on AWS.
   */
  data: boolean;
  res: readonly ResourceRef[] | undefined;
  idh: number; // FNV-1a of eventID
  ref: number; // where the codec stored the record text
  len: number;
}

export interface LookupFilter {
  attribute?: { key: string; value: string };
  startMs: number;
  endMs: number;
  /** Continue strictly after (older than) this position. */
  after?: { t: number; seq: number };
  limit: number;
}

/** A CloudTrail record as CloudTrail stores it; only the fields the store reads are typed. */
export interface CloudTrailRecordLike {
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  eventID: string;
  readOnly?: boolean;
  managementEvent?: boolean;
  userIdentity?: {
    type?: string;
    userName?: string;
    arn?: string;
    accessKeyId?: string;
    sessionContext?: { sessionIssuer?: { userName?: string } };
  } | null;
  [key: string]: unknown;
}

const NO_RESOURCES: readonly ResourceRef[] = [];

/** Which LookupEvents `Username` CloudTrail shows for an identity. */
export function usernameOf(identity: CloudTrailRecordLike["userIdentity"]): string | undefined {
  if (!identity) return undefined;
  if (identity.type === "Root") return "root";
  if (identity.userName) return identity.userName;
  if (identity.type === "AssumedRole" && identity.arn) return identity.arn.split("/").pop();
  return undefined;
}

function before(a: { t: number; seq: number }, b: { t: number; seq: number }): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

export class EventStore {
  private readonly regions = new Map<string, StoredEvent[]>();
  private readonly interned = new Map<string, string>();
  private readonly codec = new JsonCodec();
  private seq = 0;

  private intern(s: string | undefined): string | undefined {
    if (s === undefined) return undefined;
    const hit = this.interned.get(s);
    if (hit !== undefined) return hit;
    this.interned.set(s, s);
    return s;
  }

  private toStored(record: CloudTrailRecordLike, resources?: readonly ResourceRef[]): StoredEvent {
    const t = Date.parse(record.eventTime);
    if (Number.isNaN(t)) throw new Error(`eventTime is not a date: ${String(record.eventTime)}`);
    const res = resources && resources.length > 0
      ? resources.map(([type, name]) => [this.intern(type)!, name] as const)
      : undefined;
    return {
      t,
      seq: ++this.seq,
      name: this.intern(record.eventName) ?? "",
      src: this.intern(record.eventSource) ?? "",
      user: this.intern(usernameOf(record.userIdentity)),
      akid: this.intern(record.userIdentity?.accessKeyId),
      ro: record.readOnly === true,
      data: record.managementEvent === false,
      res,
      idh: fnv1a(String(record.eventID)),
      ...this.codec.encode(JSON.stringify(record)),
    };
  }

  private list(region: string): StoredEvent[] {
    let list = this.regions.get(region);
    if (!list) {
      list = [];
      this.regions.set(region, list);
    }
    return list;
  }

  /** Inserts one record in time order (appends in O(1) when it is the newest, as usual). */
  add(record: CloudTrailRecordLike, resources?: readonly ResourceRef[]): StoredEvent {
    const ev = this.toStored(record, resources);
    const list = this.list(record.awsRegion);
    const last = list[list.length - 1];
    if (!last || !before(ev, last)) list.push(ev);
    else list.splice(upperBound(list, ev.t), 0, ev);
    return ev;
  }

  /** Bulk insert: sorts the batch, then appends or merges once (O(n + m), not m splices). */
  addMany(items: Array<{ record: CloudTrailRecordLike; resources?: readonly ResourceRef[] }>): number {
    const byRegion = new Map<string, StoredEvent[]>();
    for (const { record, resources } of items) {
      const ev = this.toStored(record, resources);
      const batch = byRegion.get(record.awsRegion) ?? [];
      batch.push(ev);
      byRegion.set(record.awsRegion, batch);
    }
    for (const [region, batch] of byRegion) {
      batch.sort((a, b) => a.t - b.t || a.seq - b.seq);
      const list = this.list(region);
      const last = list[list.length - 1];
      const first = batch[0]!;
      if (!last || !before(first, last)) {
        for (const ev of batch) list.push(ev);
        continue;
      }
      // Built by push: `new Array(n)` for large n gives a dictionary-mode (hash table) array,
      // which makes every later scan an order of magnitude slower.
      const merged: StoredEvent[] = [];
      let i = 0, j = 0;
      while (i < list.length && j < batch.length) {
        merged.push(list[i]!.t <= batch[j]!.t ? list[i++]! : batch[j++]!);
      }
      while (i < list.length) merged.push(list[i++]!);
      while (j < batch.length) merged.push(batch[j++]!);
      this.regions.set(region, merged);
    }
    return items.length;
  }

  count(region?: string): number {
    if (region !== undefined) return this.regions.get(region)?.length ?? 0;
    let n = 0;
    for (const list of this.regions.values()) n += list.length;
    return n;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [region, list] of this.regions) out[region] = list.length;
    return out;
  }

  /** The record as CloudTrail returns it in `CloudTrailEvent`. */
  json(ev: StoredEvent): string {
    return this.codec.decode(ev.ref, ev.len);
  }

  codecStats(): ReturnType<JsonCodec["stats"]> {
    return this.codec.stats();
  }

  clear(): void {
    this.regions.clear();
    this.interned.clear();
  }

  *all(): Generator<{ region: string; event: StoredEvent }> {
    for (const [region, list] of this.regions) for (const event of list) yield { region, event };
  }

  /** Newest first, filtered; returns up to `limit` events and whether more remain. */
  lookup(region: string, f: LookupFilter): { events: StoredEvent[]; more: boolean } {
    const list = this.regions.get(region) ?? [];
    const match = matcher(f.attribute, (ev) => this.json(ev));
    const out: StoredEvent[] = [];
    // Start just past the newest event allowed by EndTime (inclusive) and the cursor.
    let i = upperBound(list, f.endMs) - 1;
    if (f.after) i = Math.min(i, lowerBoundPos(list, f.after) - 1);
    for (; i >= 0; i--) {
      const ev = list[i]!;
      if (ev.t < f.startMs) break;
      if (ev.data || !match(ev)) continue;
      if (out.length === f.limit) return { events: out, more: true };
      out.push(ev);
    }
    return { events: out, more: false };
  }
}

/** First index whose time is > t. */
function upperBound(list: StoredEvent[], t: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose (t, seq) is >= pos. */
function lowerBoundPos(list: StoredEvent[], pos: { t: number; seq: number }): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!, pos)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function matcher(attr: LookupFilter["attribute"], text: (ev: StoredEvent) => string): (ev: StoredEvent) => boolean {
  if (!attr) return () => true;
  const v = attr.value;
  switch (attr.key) {
    case "EventId": {
      const h = fnv1a(v);
      return (ev) => ev.idh === h && (JSON.parse(text(ev)) as { eventID?: unknown }).eventID === v;
    }
    case "EventName": return (ev) => ev.name === v;
    case "EventSource": return (ev) => ev.src === v;
    case "Username": return (ev) => ev.user === v;
    case "AccessKeyId": return (ev) => ev.akid === v;
    case "ReadOnly": return (ev) => String(ev.ro) === v;
    case "ResourceType": return (ev) => (ev.res ?? NO_RESOURCES).some((r) => r[0] === v);
    case "ResourceName": return (ev) => (ev.res ?? NO_RESOURCES).some((r) => r[1] === v);
    default: return () => false;
  }
}
