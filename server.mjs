#!/usr/bin/env node
/**
 * `npm start`: the console's production server. Next's request handler behind a plain Node HTTP
 * server that does two things `next start` cannot:
 *  - it records the TCP peer's address in a header the app trusts (lib/http/request-meta.ts),
 *    overwriting any client-sent value, so client IPs (sign-in limits, audit) cannot be spoofed
 *    with X-Forwarded-For unless TRUSTED_PROXIES says which proxies to believe;
 *  - it gives every request an id (X-Request-Id: a well-formed one from the proxy, else a new
 *    one), answered in the response and carried by the app's log lines (lib/log reads it from the
 *    AsyncLocalStorage below);
 *  - on SIGTERM/SIGINT it stops accepting connections and lets in-flight requests finish while
 *    the app drains (readiness 503, jobs finish, leases released: lib/ops/shutdown.ts), then exits
 *    — at the latest after SHUTDOWN_GRACE_SECONDS (default 20) — so a deploy drops nothing.
 *  - it answers calls of server actions this build does not have (a stale tab after a deploy, or a
 *    scanner) with Next's own "action not found" answer, without the stack trace Next prints for
 *    each one: such calls are logged once a minute with a count.
 * Options as `next start`: -p/--port (or PORT, default 3000), -H/--hostname (or HOSTNAME).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";

const PEER_HEADER = "x-console-peer-address"; // keep in step with lib/http/request-meta.ts
// Shared with the app through globalThis (its bundles are other module graphs of this process);
// keep in step with lib/log/request-context.ts and lib/ops/shutdown.ts.
const REQUEST_CONTEXT = Symbol.for("bedrock-key-console.request");
const DRAIN_HOOK = Symbol.for("bedrock-key-console.drain");
const SERVER_MARK = Symbol.for("bedrock-key-console.server");
const requests = new AsyncLocalStorage();
globalThis[REQUEST_CONTEXT] = requests;
globalThis[SERVER_MARK] = true;
const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
  allowPositionals: true,
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`server.mjs: the port must be a number from 1 to 65535, got "${values.port ?? process.env.PORT}"`);
  process.exit(2);
}
const hostname = values.hostname ?? process.env.HOSTNAME ?? undefined;
process.env.NODE_ENV = "production";

const dir = path.dirname(new URL(import.meta.url).pathname);
const manifestFile = path.join(dir, ".next", "server", "server-reference-manifest.json");
const knownActions = existsSync(manifestFile)
  ? new Set(Object.values(JSON.parse(readFileSync(manifestFile, "utf8"))).flatMap((v) => (v && typeof v === "object" ? Object.keys(v) : [])))
  : null;
let unknownActions = { count: 0, since: 0 };
function unknownActionCall() {
  const now = Date.now();
  unknownActions.count++;
  if (now - unknownActions.since >= 60_000) {
    console.warn(JSON.stringify({ level: 40, app: "bedrock-key-console", msg: "calls of unknown server actions refused", count: unknownActions.count }));
    unknownActions = { count: 0, since: now };
  }
}

const app = next({ dev: false, dir, port, hostname: hostname ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
  const incoming = req.headers["x-request-id"];
  const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  req.headers["x-request-id"] = requestId;
  res.setHeader("x-request-id", requestId);
  const action = req.headers["next-action"];
  if (req.method === "POST" && typeof action === "string" && knownActions && !knownActions.has(action)) {
    unknownActionCall();
    // What Next itself answers (its client reloads the page), minus the per-request stack trace.
    res.writeHead(404, { "content-type": "text/plain", "x-nextjs-action-not-found": "1" });
    res.end("Server action not found.");
    req.resume();
    return;
  }
  requests.run({ requestId }, () => handle(req, res)).catch((error) => {
    console.error(JSON.stringify({ level: 50, app: "bedrock-key-console", reqId: requestId, msg: "request failed", err: String(error?.stack ?? error) }));
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end("Internal error");
  });
});
// Longer than a load balancer's idle timeout (AWS ALB: 60 s): with Node's default of 5 s the server
// closes idle keep-alive connections the balancer (or any client) is about to reuse, which shows
// up as 502s / ECONNRESET on requests that never reached the app.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.on("error", (error) => {
  if (error.code === "EADDRINUSE") console.error(`server.mjs: port ${port} is already in use. Stop what is using it, or set PORT (or -p).`);
  else console.error("server.mjs:", error.message);
  process.exit(1);
});
server.listen(port, hostname, () => {
  console.log(`▲ Bedrock Key Console on http://${hostname ?? "localhost"}:${port}`);
});

let shuttingDown = false;
function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  const seconds = Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 20);
  console.log(`server.mjs: ${signal}: draining, finishing in-flight requests (at most ${seconds}s)`);
  const force = setTimeout(() => process.exit(0), (seconds + 2) * 1000);
  force.unref();
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections?.();
  // The app's part (lib/ops/shutdown.ts): readiness 503, jobs finish, leases released.
  const drain = typeof globalThis[DRAIN_HOOK] === "function" ? globalThis[DRAIN_HOOK]() : Promise.resolve();
  Promise.allSettled([closed, drain]).then(() => process.exit(0));
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
