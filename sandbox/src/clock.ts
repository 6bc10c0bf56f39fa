import type { SandboxState } from "./state.js";

/**
 * The sandbox clock: real time plus an offset that the control API moves, so tests can make
 * keys and sessions expire without waiting. Rate limiting deliberately uses `realNowMs` instead,
 * because a throttle that followed a jumped clock would refill or starve arbitrarily.
 */
export function now(state: SandboxState): Date {
  return new Date(Date.now() + state.clockOffsetMs);
}

export function nowMs(state: SandboxState): number {
  return Date.now() + state.clockOffsetMs;
}

export function realNowMs(): number {
  return Date.now();
}

/** AWS timestamps in XML and CloudTrail records: ISO 8601, UTC, second precision, `Z`. */
export function isoSeconds(d: Date | number): string {
  const date = typeof d === "number" ? new Date(d) : d;
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function setClock(
  state: SandboxState,
  change: { offsetSeconds?: number; advanceSeconds?: number; set?: string },
): void {
  if (typeof change.offsetSeconds === "number") state.clockOffsetMs = change.offsetSeconds * 1000;
  if (typeof change.advanceSeconds === "number") state.clockOffsetMs += change.advanceSeconds * 1000;
  if (typeof change.set === "string") {
    const target = Date.parse(change.set);
    if (Number.isNaN(target)) throw new Error(`Invalid date: ${change.set}`);
    state.clockOffsetMs = target - Date.now();
  }
}
