/**
 * Process-wide lifecycle state shared by every bundle of the server (instrumentation, route
 * handlers and server actions are separate module graphs in Next, hence globalThis):
 * - draining: set on SIGTERM. Readiness answers 503 so the load balancer stops sending traffic,
 *   and no job lease is taken or renewed any more, so background work winds down.
 * - leases held: which job leases this process holds, so shutdown can release them and another
 *   instance can take over at once instead of waiting for the lease to expire.
 */
interface Lifecycle {
  draining: boolean;
  leases: Map<string, string>;
}

const g = globalThis as unknown as { __consoleLifecycle?: Lifecycle };

function state(): Lifecycle {
  g.__consoleLifecycle ??= { draining: false, leases: new Map() };
  return g.__consoleLifecycle;
}

export function isDraining(): boolean {
  return state().draining;
}

export function startDraining(): void {
  state().draining = true;
}

/** name → holder of every lease this process holds now. */
export function leasesHeld(): ReadonlyMap<string, string> {
  return state().leases;
}

export function noteLeaseHeld(name: string, holder: string): void {
  state().leases.set(name, holder);
}

export function noteLeaseReleased(name: string, holder: string): void {
  if (state().leases.get(name) === holder) state().leases.delete(name);
}

/** Tests only: back to a fresh process. */
export function resetLifecycleForTests(): void {
  g.__consoleLifecycle = { draining: false, leases: new Map() };
}
