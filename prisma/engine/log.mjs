// Log lines in the shape the Prisma CLI expects on a schema engine's stderr.
//
// The native engine logs one JSON object per line (Rust `tracing` JSON format). The CLI parses
// them: the RPC client keeps the last `ERROR` line to explain a crash, and the `cli` sub-commands
// (can-connect/create/drop database) look for an ERROR line from target `schema_engine::logger`
// carrying `error_code` + `message` (e.g. P1003 "database does not exist", which makes
// `migrate dev` create the database instead of failing).

/** Writes one log line to stderr. */
export function logLine(level, fields, target = "schema_engine::logger") {
  const line = { timestamp: new Date().toISOString(), level, fields, target };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

export const logInfo = (message) => logLine("INFO", { message }, "schema_engine");

/** A user-facing error with a Prisma error code (P1xxx/P3xxx), logged the way the CLI reads it. */
export function logUserError(error) {
  logLine("ERROR", { is_panic: false, error_code: error.code, message: error.message });
}

/** An error the CLI will show as-is: a known code when we have one, otherwise a plain message. */
export class UserFacingError extends Error {
  /** @param {string} code Prisma error code, e.g. "P1003" @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
