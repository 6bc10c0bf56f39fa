import { randomUUID } from "node:crypto";
import { isoSeconds, now, setClock } from "../clock.js";
import { persistLine } from "../cloudtrail/record.js";
import type { CloudTrailRecordLike, ResourceRef } from "../cloudtrail/store.js";
import { setLookupRate } from "../cloudtrail/throttle.js";
import { queueForTrails } from "../s3/trail.js";
import { sendJson } from "../http.js";
import { statusOf } from "../iam/service-credentials.js";
import { resetState, type SandboxState } from "../state.js";
import { addFault, clearFaults } from "./faults.js";
import { enableInvocationLogging, handleLogsControl } from "./logs.js";
import { logInvocations } from "../bedrock/invocation-log.js";
import { invocationFactsFor } from "../traffic/invocation-logs.js";
import type http from "node:http";

export interface ControlHooks {
  /** Persistence truncates its event log on reset. */
  onReset?: () => Promise<void>;
}

/** Everything the state shows, without any secret. */
export function stateSnapshot(state: SandboxState): Record<string, unknown> {
  const nowMs = now(state).getTime();
  return {
    accountId: state.accountId,
    clock: { now: isoSeconds(nowMs), offsetSeconds: Math.round(state.clockOffsetMs / 1000) },
    users: [...state.users.values()].map((u) => ({
      userName: u.userName,
      userId: u.userId,
      arn: u.arn,
      path: u.path,
      createDate: isoSeconds(u.createDate),
      tags: u.tags,
      attachedPolicies: u.attachedPolicies,
      inlinePolicies: Object.keys(u.inlinePolicies),
    })),
    accessKeys: [...state.accessKeys.values()].map((k) => ({
      accessKeyId: k.accessKeyId,
      userName: k.userName,
      status: k.status,
      createDate: isoSeconds(k.createDate),
    })),
    serviceSpecificCredentials: [...state.serviceCredentials.values()].map((c) => ({
      serviceSpecificCredentialId: c.id,
      userName: c.userName,
      serviceName: c.serviceName,
      status: statusOf(c, nowMs),
      createDate: isoSeconds(c.createDate),
      ...(c.expirationDate !== undefined ? { expirationDate: isoSeconds(c.expirationDate) } : {}),
      ...(c.alias ? { serviceCredentialAlias: c.alias } : {}),
    })),
    roles: [...state.roles.values()].map((r) => ({
      roleName: r.roleName,
      roleId: r.roleId,
      arn: r.arn,
      maxSessionDuration: r.maxSessionDuration,
      attachedPolicies: r.attachedPolicies,
      inlinePolicies: Object.keys(r.inlinePolicies),
    })),
    sessions: [...state.sessions.values()].map((s) => ({
      accessKeyId: s.accessKeyId,
      roleName: s.roleName,
      sessionName: s.sessionName,
      ...(s.sourceIdentity ? { sourceIdentity: s.sourceIdentity } : {}),
      issuedAt: isoSeconds(s.issuedAt),
      expiration: isoSeconds(s.expiration),
    })),
    events: state.events.counts(),
    lookupEventsPerSecond: state.lookupEventsPerSecond,
    faults: state.faults,
  };
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  return JSON.parse(body.toString("utf8"));
}

/** CloudTrail's optional `resources` field ([{ARN, type}]) is what LookupEvents shows as Resources. */
function resourcesOf(record: Record<string, unknown>): ResourceRef[] | undefined {
  const res = record.resources;
  if (!Array.isArray(res)) return undefined;
  const out: ResourceRef[] = [];
  for (const r of res) {
    const o = r as Record<string, unknown>;
    if (o && typeof o.type === "string" && typeof o.ARN === "string") out.push([o.type, o.ARN]);
  }
  return out;
}

function insertEvents(state: SandboxState, body: unknown): number {
  const list = Array.isArray(body) ? body : (body as { events?: unknown }).events;
  if (!Array.isArray(list)) throw new Error("expected a JSON array of CloudTrail records, or {\"events\": [...]}");
  const items = list.map((raw, i) => {
    const r = raw as Record<string, unknown>;
    for (const f of ["eventTime", "eventSource", "eventName", "awsRegion"]) {
      if (typeof r?.[f] !== "string") throw new Error(`event ${i}: ${f} must be a string`);
    }
    if (Number.isNaN(Date.parse(r.eventTime as string))) throw new Error(`event ${i}: eventTime is not a date`);
    const record = { ...r, eventID: typeof r.eventID === "string" ? r.eventID : randomUUID() } as CloudTrailRecordLike;
    const resources = resourcesOf(r);
    return { record, ...(resources ? { resources } : {}) };
  });
  state.events.addMany(items);
  queueForTrails(state, items.map((i) => i.record));
  if (state.onEvents) {
    for (const { record, resources } of items) {
      state.onEvents(record.awsRegion, [persistLine(record.awsRegion, resources, JSON.stringify(record))]);
    }
  }
  return items.length;
}

/** The sandbox's own control API under /_sandbox/ (JSON, unauthenticated, not an AWS path). */
export async function handleControl(
  state: SandboxState,
  method: string,
  path: string,
  body: Buffer,
  res: http.ServerResponse,
  hooks: ControlHooks = {},
  query?: URLSearchParams,
): Promise<void> {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  try {
    switch (route) {
      case "GET /_sandbox/health": {
        // Memory figures serve the benchmarks; `?gc=1` collects first when node runs with --expose-gc.
        if (query?.get("gc") === "1") (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        return sendJson(res, 200, {
          ok: true,
          now: isoSeconds(now(state)),
          memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers },
          counts: { users: state.users.size, serviceSpecificCredentials: state.serviceCredentials.size, events: state.events.count() },
          eventStorage: state.events.codecStats(),
        });
      }
      case "GET /_sandbox/state":
        return sendJson(res, 200, stateSnapshot(state));
      case "POST /_sandbox/reset":
        resetState(state);
        await hooks.onReset?.();
        return sendJson(res, 200, { ok: true });
      case "POST /_sandbox/clock": {
        const b = parseBody(body) as { offsetSeconds?: number; advanceSeconds?: number; set?: string };
        setClock(state, b);
        // One clock for the whole organisation: every account moves with it.
        for (const account of state.accounts.values()) {
          if (account === state) continue;
          account.clockOffsetMs = state.clockOffsetMs;
          account.onChange?.();
        }
        state.onChange?.();
        return sendJson(res, 200, { now: isoSeconds(now(state)), offsetSeconds: Math.round(state.clockOffsetMs / 1000) });
      }
      case "GET /_sandbox/faults":
        return sendJson(res, 200, { faults: state.faults });
      case "POST /_sandbox/faults":
        return sendJson(res, 200, { fault: addFault(state, parseBody(body)) });
      case "DELETE /_sandbox/faults":
        clearFaults(state);
        return sendJson(res, 200, { ok: true });
      case "POST /_sandbox/throttle": {
        const b = parseBody(body) as { lookupEventsPerSecond?: unknown; refill?: unknown };
        if (typeof b.lookupEventsPerSecond !== "number" || b.lookupEventsPerSecond < 0) {
          throw new Error("lookupEventsPerSecond must be a number >= 0 (0 disables throttling)");
        }
        if (b.refill !== undefined && typeof b.refill !== "boolean") throw new Error("refill must be true or false");
        setLookupRate(state, b.lookupEventsPerSecond, b.refill ?? true);
        state.onChange?.();
        return sendJson(res, 200, { lookupEventsPerSecond: state.lookupEventsPerSecond });
      }
      case "POST /_sandbox/events":
        return sendJson(res, 200, { inserted: insertEvents(state, parseBody(body)), total: state.events.counts() });
      case "POST /_sandbox/bedrock/invocation-logs": {
        // CloudTrail records of runtime calls → their invocation-log records, where logging is on.
        const b = parseBody(body) as unknown;
        const list = Array.isArray(b) ? b : (b as { events?: unknown }).events;
        if (!Array.isArray(list)) throw new Error("expected a JSON array of CloudTrail records, or {\"events\": [...]}");
        const facts = list.map((r) => invocationFactsFor(r as Record<string, never>)).filter((f) => f !== null);
        return sendJson(res, 200, { written: logInvocations(state, facts), eligible: facts.length, received: list.length });
      }
      case "POST /_sandbox/bedrock/logging":
        return sendJson(res, 200, enableInvocationLogging(state, parseBody(body)));
      default:
        if (path.startsWith("/_sandbox/logs/")) return sendJson(res, 200, handleLogsControl(state, method, path.replace(/\/+$/, ""), parseBody(body), query));
        return sendJson(res, 404, { message: `No control route ${route}` });
    }
  } catch (e) {
    sendJson(res, 400, { message: (e as Error).message });
  }
}
