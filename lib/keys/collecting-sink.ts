import type { AuditSink, AuditTarget } from "./types";

/**
 * An AuditSink that keeps what a service reports (its target and details), for callers that write
 * the audit entry themselves after the service returns (request pick-up, the demo seed).
 */
export function collectingSink(): AuditSink & { target_: AuditTarget | null; details: Record<string, unknown> } {
  const sink = {
    target_: null as AuditTarget | null,
    details: {} as Record<string, unknown>,
    target(t: AuditTarget) {
      sink.target_ = t;
    },
    detail(d: Record<string, unknown>) {
      Object.assign(sink.details, d);
    },
  };
  return sink;
}
