import { existsSync, readFileSync } from "node:fs";
import { appendFile, rename, writeFile } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { CloudTrailRecordLike, ResourceRef } from "./cloudtrail/store.js";
import type { AccessKeyRecord, IamRole, IamUser, SandboxState, ServiceCredentialRecord, SessionRecord } from "./state.js";
import { userKey } from "./state.js";

/**
 * Optional persistence so a demo survives a restart. Entities and the clock go to one JSON file,
 * rewritten (atomically, debounced) after changes. CloudTrail events go to an append-only
 * NDJSON file beside it (`<file>.events.ndjson`), because rewriting a million events on every
 * change would be absurd; a reset truncates it.
 */
interface Snapshot {
  version: 1;
  clockOffsetMs: number;
  lookupEventsPerSecond: number;
  users: IamUser[];
  roles: IamRole[];
  accessKeys: AccessKeyRecord[];
  serviceCredentials: ServiceCredentialRecord[];
  sessions: SessionRecord[];
  extensions: Record<string, unknown>;
}

export interface Persistence {
  flush(): Promise<void>;
  truncateEvents(): Promise<void>;
  close(): Promise<void>;
}

function snapshot(state: SandboxState): Snapshot {
  return {
    version: 1,
    clockOffsetMs: state.clockOffsetMs,
    lookupEventsPerSecond: state.lookupEventsPerSecond,
    users: [...state.users.values()],
    roles: [...state.roles.values()],
    accessKeys: [...state.accessKeys.values()],
    serviceCredentials: [...state.serviceCredentials.values()],
    sessions: [...state.sessions.values()],
    extensions: state.extensions,
  };
}

export async function loadState(state: SandboxState, path: string): Promise<void> {
  if (existsSync(path)) {
    const snap = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
    state.clockOffsetMs = snap.clockOffsetMs ?? 0;
    if (typeof snap.lookupEventsPerSecond === "number") state.lookupEventsPerSecond = snap.lookupEventsPerSecond;
    for (const u of snap.users ?? []) state.users.set(userKey(u.userName), u);
    for (const r of snap.roles ?? []) state.roles.set(userKey(r.roleName), r);
    for (const k of snap.accessKeys ?? []) state.accessKeys.set(k.accessKeyId, k);
    for (const c of snap.serviceCredentials ?? []) {
      state.serviceCredentials.set(c.id, c);
      if (c.secretHash) state.secretIndex.set(c.secretHash, c.id);
    }
    for (const s of snap.sessions ?? []) state.sessions.set(s.accessKeyId, s);
    state.extensions = snap.extensions ?? {};
  }
  const eventsPath = `${path}.events.ndjson`;
  if (!existsSync(eventsPath)) return;
  const batch: Array<{ record: CloudTrailRecordLike; resources?: readonly ResourceRef[] }> = [];
  const lines = createInterface({ input: createReadStream(eventsPath, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    try {
      const { res, e } = JSON.parse(line) as { r: string; res: ResourceRef[] | null; e: CloudTrailRecordLike };
      batch.push({ record: e, ...(res ? { resources: res } : {}) });
    } catch {
      // A torn last line from a crash is skipped; everything before it is kept.
    }
    if (batch.length >= 50_000) state.events.addMany(batch.splice(0));
  }
  state.events.addMany(batch);
}

export function attachPersistence(state: SandboxState, path: string, debounceMs = 200): Persistence {
  const eventsPath = `${path}.events.ndjson`;
  let timer: NodeJS.Timeout | undefined;
  let pendingLines: string[] = [];
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    timer = undefined;
    const lines = pendingLines;
    pendingLines = [];
    const tmp = `${path}.tmp`;
    await writeFile(tmp, JSON.stringify(snapshot(state)));
    await rename(tmp, path);
    if (lines.length > 0) await appendFile(eventsPath, lines.join("\n") + "\n");
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(() => (writing = writing.then(write, write)), debounceMs);
  };
  state.onChange = schedule;
  state.onEvents = (_region, lines) => {
    for (const l of lines) pendingLines.push(l);
    schedule();
  };
  const flush = async () => {
    if (timer) {
      clearTimeout(timer);
      writing = writing.then(write, write);
    }
    await writing;
  };
  return {
    flush,
    async truncateEvents() {
      pendingLines = [];
      await writing;
      await writeFile(eventsPath, "");
    },
    async close() {
      await flush();
      state.onChange = undefined;
      state.onEvents = undefined;
    },
  };
}
