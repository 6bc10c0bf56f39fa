import type { SandboxState } from "../state.js";

export interface FaultError {
  code: string;
  status: number;
  message: string;
}

export interface FaultRule {
  service: string; // "iam" | "sts" | "cloudtrail" | "bedrock" | "bedrock-runtime" | "*"
  operation: string; // API operation name, or "*"
  /** Calls still to affect; null = every call until the faults are cleared. */
  remaining: number | null;
  error?: FaultError;
  latencyMs: number;
}

export interface Fault {
  latencyMs: number;
  error?: FaultError;
}

/** Validates and stores a rule from the control API body. Throws with a message on bad input. */
export function addFault(state: SandboxState, body: unknown): FaultRule {
  if (!body || typeof body !== "object") throw new Error("body must be a JSON object");
  const b = body as Record<string, unknown>;
  const service = typeof b.service === "string" ? b.service : "*";
  const operation = typeof b.operation === "string" ? b.operation : "*";
  const latencyMs = typeof b.latencyMs === "number" && b.latencyMs > 0 ? b.latencyMs : 0;
  let error: FaultError | undefined;
  if (b.error !== undefined) {
    const e = b.error as Record<string, unknown>;
    if (!e || typeof e.code !== "string") throw new Error("error.code must be a string");
    error = {
      code: e.code,
      status: typeof e.status === "number" ? e.status : 500,
      message: typeof e.message === "string" ? e.message : `Injected fault ${e.code}`,
    };
  }
  if (!error && latencyMs === 0) throw new Error("a fault needs an error, a latencyMs, or both");
  let remaining: number | null = null;
  if (b.count !== undefined) {
    if (typeof b.count !== "number" || !Number.isInteger(b.count) || b.count < 1) {
      throw new Error("count must be a positive integer");
    }
    remaining = b.count;
  }
  const rule: FaultRule = { service, operation, remaining, latencyMs, ...(error ? { error } : {}) };
  state.faults.push(rule);
  return rule;
}

export function clearFaults(state: SandboxState): void {
  state.faults = [];
}

/**
 * Consumes the first matching fault for a call, if any. Every API handler (core and Bedrock
 * runtime) calls this once per request before doing the work, so injected failures look like
 * the service failing, after authentication.
 */
export function takeFault(state: SandboxState, service: string, operation: string): Fault | null {
  const idx = state.faults.findIndex(
    (f) => (f.service === "*" || f.service === service) && (f.operation === "*" || f.operation === operation),
  );
  if (idx < 0) return null;
  const rule = state.faults[idx]!;
  if (rule.remaining !== null) {
    rule.remaining -= 1;
    if (rule.remaining <= 0) state.faults.splice(idx, 1);
  }
  return { latencyMs: rule.latencyMs, ...(rule.error ? { error: rule.error } : {}) };
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
