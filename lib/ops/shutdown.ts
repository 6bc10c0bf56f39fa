import type { PrismaClient } from "@/lib/generated/prisma/client";
import { releaseLease } from "@/lib/keys/lease";
import { leasesHeld, startDraining } from "./lifecycle";

export interface ShutdownLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * The console's part of a graceful stop: start draining (readiness 503, no lease taken or renewed,
 * so the usage sync stops at its next page and schedules start nothing), give the jobs this
 * process is running up to `graceMs` to finish and release their leases, then release whatever
 * is still held so another instance takes over at once instead of after the lease's TTL. An
 * interrupted usage sync resumes from its cursor on the instance that takes the lease next.
 */
export async function drainAndReleaseLeases(db: PrismaClient, graceMs: number, log?: ShutdownLog): Promise<{ released: string[]; waitedMs: number }> {
  startDraining();
  const started = Date.now();
  log?.info({ leases: [...leasesHeld().keys()], graceMs }, "shutdown: draining");
  while (leasesHeld().size > 0 && Date.now() - started < graceMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const released: string[] = [];
  for (const [name, holder] of [...leasesHeld()]) {
    try {
      await releaseLease(db, name, holder);
      released.push(name);
    } catch (error) {
      log?.warn({ err: error, lease: name }, "shutdown: could not release a lease; it frees itself when it expires");
    }
  }
  const waitedMs = Date.now() - started;
  log?.info({ released, waitedMs }, "shutdown: leases released");
  return { released, waitedMs };
}

/** Where `server.mjs` looks for the app's part of a graceful stop (keep in step with it). */
const DRAIN_HOOK = Symbol.for("bedrock-key-console.drain");
/** Set by server.mjs before the app starts: it owns the signals. */
const SERVER_MARK = Symbol.for("bedrock-key-console.server");
const g = globalThis as unknown as { __consoleShutdownInstalled?: boolean; [DRAIN_HOOK]?: () => Promise<unknown>; [SERVER_MARK]?: boolean };

/**
 * Installs the console's part of a graceful stop, once per process (from lib/startup.ts).
 * Under `npm start` (server.mjs) the server owns SIGTERM: it stops accepting connections, lets
 * in-flight requests finish and runs this drain meanwhile, through a hook on globalThis (the app's
 * bundles and server.mjs are separate module graphs of one process). Elsewhere (`next start`,
 * `next dev`, a test process) it listens for SIGTERM itself: drain first, then hand over to the
 * handlers that were there before, or exit when there are none.
 */
export function installShutdownHandler(options: { db: () => PrismaClient; graceMs: number; log?: ShutdownLog }): void {
  if (g.__consoleShutdownInstalled) return;
  g.__consoleShutdownInstalled = true;
  const drain = () =>
    drainAndReleaseLeases(options.db(), options.graceMs, options.log).catch((error: unknown) => {
      options.log?.warn({ err: error }, "shutdown: draining failed");
    });
  g[DRAIN_HOOK] = drain;
  if (g[SERVER_MARK]) return;
  const previous = process.listeners("SIGTERM");
  process.removeAllListeners("SIGTERM");
  process.once("SIGTERM", () => {
    void drain().finally(() => {
      if (previous.length === 0) process.exit(143);
      for (const handler of previous) (handler as (signal: NodeJS.Signals) => void)("SIGTERM");
    });
  });
}
