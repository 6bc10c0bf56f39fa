import http from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { accountForRequest, createAccount } from "./accounts.js";
import { handleAwsApi } from "./aws-api.js";
import { handleAccountsControl } from "./control/accounts.js";
import { handleOrganizations } from "./organizations.js";
import { acceptHttp2PriorKnowledge } from "./bedrock/http2.js";
import { handleMantle, handleRuntimeOpenAi } from "./bedrock/doors.js";
import { handleBedrockRuntime } from "./bedrock/runtime.js";
import { controlPlaneRoute, handleBedrockControlPlane } from "./bedrock/control-plane.js";
import { handleLogs, isLogsRequest } from "./logs/handler.js";
import { setLogsThrottle } from "./logs/throttle.js";
import { cancelPendingInvocationLogs, setInvocationLogDelay } from "./bedrock/invocation-log.js";
import { handleControl } from "./control/api.js";
import { AwsError, flatHeaders, readBody, sendJson, sourceIpOf } from "./http.js";
import { attachPersistence, loadState, type Persistence } from "./persist.js";
import { createState, DEFAULT_REGION, type SandboxState } from "./state.js";
import { mountStorage, type StorageOptions } from "./s3/route.js";

export interface SandboxOptions extends StorageOptions {
  port?: number;
  host?: string;
  /** JSON file to load from and persist to (events go to `<file>.events.ndjson`). */
  statePath?: string;
  /** Sets the sandbox clock so that "now" starts at this instant. */
  startTime?: Date;
  /** LookupEvents requests per second per region (AWS: 2); 0 disables throttling. */
  lookupEventsRatePerSecond?: number;
  /** CloudWatch Logs request quotas (FilterLogEvents 5/s, …); false turns the throttling off. */
  logsThrottle?: boolean;
  /** Seconds from a model invocation to its record in the log group (real time; default 0 here, 60 for `npm run sandbox`). */
  invocationLogDelaySeconds?: number;
}

export interface Sandbox {
  url: string;
  port: number;
  state: SandboxState;
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;
const MAX_CONTROL_BODY = 512 * 1024 * 1024; // bulk event inserts

/**
 * Region of a Bedrock runtime call, which carries no SigV4 scope when a bearer key is used:
 * the Host (`bedrock-runtime.<region>.amazonaws.com` / `.localhost`) or a `/bedrock-runtime/<region>`
 * path prefix (stripped), else us-east-1.
 */
function runtimeRoute(host: string, path: string): { region: string; path: string } {
  const m = /^bedrock-runtime\.([a-z0-9-]+)\.(?:amazonaws\.com|localhost)(?::\d+)?$/i.exec(host);
  const p = /^\/bedrock-runtime\/([a-z0-9-]+)(\/.*)?$/.exec(path);
  if (p) return { region: m ? m[1]! : p[1]!, path: p[2] ?? "/" };
  return { region: m ? m[1]! : DEFAULT_REGION, path };
}

/**
 * A bedrock-mantle call: Host `bedrock-mantle.<region>.api.aws` (or `.localhost`), or a
 * `/bedrock-mantle/<region>` path prefix (stripped), so an SDK reaches it with a base URL such as
 * `http://127.0.0.1:4566/bedrock-mantle/us-east-1/v1`. null for any other request.
 */
function mantleRoute(host: string, path: string): { region: string; path: string } | null {
  const m = /^bedrock-mantle\.([a-z0-9-]+)\.(?:api\.aws|localhost)(?::\d+)?$/i.exec(host);
  const p = /^\/bedrock-mantle\/([a-z0-9-]+)(\/.*)?$/.exec(path);
  if (p) return { region: m ? m[1]! : p[1]!, path: p[2] ?? "/" };
  return m ? { region: m[1]!, path } : null;
}

export async function createSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const state = createState({
    ...(opts.lookupEventsRatePerSecond !== undefined ? { lookupEventsPerSecond: opts.lookupEventsRatePerSecond } : {}),
  });
  let persistence: Persistence | undefined;
  const memberPersistence: Persistence[] = [];
  /** Member accounts are kept beside the main state file: a list, then one state file each. */
  const accountsFile = opts.statePath ? `${opts.statePath}.accounts.json` : undefined;
  const persistMember = async (member: SandboxState, load: boolean) => {
    if (!opts.statePath) return;
    const file = `${opts.statePath}.${member.accountId}`;
    if (load) await loadState(member, file);
    memberPersistence.push(attachPersistence(member, file));
  };
  const saveAccountsList = () => {
    if (!accountsFile) return;
    const list = [...state.accounts.values()].filter((a) => a !== state).map((a) => ({ id: a.accountId, name: a.org.name, email: a.org.email, orgState: a.org.state, member: a.org.member, admin: { accessKeyId: a.adminAccessKeyId, secretAccessKey: a.adminSecretAccessKey } }));
    writeFileSync(accountsFile, JSON.stringify(list, null, 2));
  };
  if (opts.statePath) {
    await loadState(state, opts.statePath);
    persistence = attachPersistence(state, opts.statePath);
    if (accountsFile && existsSync(accountsFile)) {
      for (const a of JSON.parse(readFileSync(accountsFile, "utf8")) as { id: string; name: string; email: string; orgState: "ACTIVE" | "SUSPENDED"; member: boolean; admin: { accessKeyId: string; secretAccessKey: string } }[]) {
        const member = createAccount(state, { id: a.id, name: a.name, email: a.email, admin: a.admin });
        member.org.state = a.orgState;
        member.org.member = a.member;
        await persistMember(member, true);
      }
    }
  }
  if (opts.lookupEventsRatePerSecond !== undefined) state.lookupEventsPerSecond = opts.lookupEventsRatePerSecond;
  if (opts.logsThrottle !== undefined) setLogsThrottle(state, { enabled: opts.logsThrottle });
  if (opts.invocationLogDelaySeconds !== undefined) setInvocationLogDelay(state, opts.invocationLogDelaySeconds);
  if (opts.startTime) state.clockOffsetMs = opts.startTime.getTime() - Date.now();
  // S3, SQS and trail delivery (sandbox/src/s3/); objects beside the state file when there is one.
  const storage = mountStorage(state, { ...opts, ...(opts.statePath && !opts.s3Dir ? { s3Dir: `${opts.statePath}.s3` } : {}) });

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        const status = e instanceof AwsError ? e.status : 500;
        sendJson(res, status, { message: (e as Error).message });
      } else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : "");
    const method = req.method ?? "GET";
    if (rawPath.startsWith("/_sandbox/")) {
      const body = await readBody(req, MAX_CONTROL_BODY);
      const storageControl = storage.control(query.get("account") ? (state.accounts.get(query.get("account")!) ?? state) : state, method, rawPath, query, flatHeaders(req), body, res);
      if (storageControl) return storageControl;
      // A reset drops the organisation's settings with its accounts; the logs quota setting is re-applied.
      const hooks = {
        onReset: async () => {
          if (opts.logsThrottle !== undefined) setLogsThrottle(state, { enabled: opts.logsThrottle });
          if (opts.invocationLogDelaySeconds !== undefined) setInvocationLogDelay(state, opts.invocationLogDelaySeconds);
          await persistence?.truncateEvents();
        },
      };
      if (rawPath.startsWith("/_sandbox/accounts")) {
        return handleAccountsControl(state, method, rawPath, body, res, {
          onCreated: (member) => void persistMember(member, false).then(saveAccountsList),
          onChanged: saveAccountsList,
        });
      }
      // ?account=<id>: the control route acts on that account (events, faults, throttle, state).
      const account = query.get("account");
      const target = account ? state.accounts.get(account) : state;
      if (!target) return sendJson(res, 404, { message: `No account ${account}` });
      return handleControl(target, method, rawPath, body, res, hooks, query);
    }
    const headers = flatHeaders(req);
    const body = await readBody(req, MAX_BODY);
    const sourceIp = sourceIpOf(req, headers);
    // The account the credentials belong to handles the request (sandbox/src/accounts.ts).
    const account = accountForRequest(state, headers, query);
    const mantle = mantleRoute(headers.host ?? "", rawPath);
    if (mantle) {
      return handleMantle({ state: account, method, path: mantle.path, query, headers, body, sourceIp, region: mantle.region, res });
    }
    // CloudWatch Logs and Bedrock's control plane come before S3, which would take their paths as buckets.
    if (isLogsRequest(headers)) return handleLogs(account, { method, rawPath, query, headers, body, sourceIp }, res);
    const controlPlane = controlPlaneRoute(headers.host ?? "", rawPath, headers);
    if (controlPlane) return handleBedrockControlPlane(account, { method, rawPath, query, headers, body, sourceIp }, controlPlane.path, res);
    const storageApi = storage.api(account, { method, rawPath, query, headers, body, sourceIp }, res);
    if (storageApi) return storageApi;
    const runtime = runtimeRoute(headers.host ?? "", rawPath);
    if (runtime.path.startsWith("/model/")) {
      return handleBedrockRuntime({ state: account, method, path: runtime.path, query, headers, body, sourceIp, region: runtime.region, res });
    }
    if (runtime.path.startsWith("/openai/v1/")) {
      return handleRuntimeOpenAi({ state: account, method, path: runtime.path, query, headers, body, sourceIp, region: runtime.region, res });
    }
    if ((headers["x-amz-target"] ?? "").startsWith("AWSOrganizationsV20161128.")) {
      return handleOrganizations(account, { method, rawPath, query, headers, body, sourceIp }, res);
    }
    return handleAwsApi(account, { method, rawPath, query, headers, body, sourceIp }, res);
  }

  // @aws-sdk/client-bedrock-runtime speaks HTTP/2 (h2c) by default; accept it on the same port.
  const http2 = acceptHttp2PriorKnowledge(server);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 4566, opts.host ?? "127.0.0.1", () => resolve());
  });
  server.keepAliveTimeout = 5000;
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    state,
    async close() {
      storage.stop();
      cancelPendingInvocationLogs(state);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        http2.close();
      });
      await persistence?.close();
      for (const p of memberPersistence) await p.close();
    },
  };
}
