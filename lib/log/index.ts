import "server-only";
import pino, { type Logger } from "pino";
import { config } from "@/lib/config";
import { currentRequestId } from "./request-context";

// Paths that must never reach a log line, whatever a caller passes in.
const REDACT = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "headers.cookie",
  "*.headers.cookie",
];

let logger: Logger | undefined;

export function log(): Logger {
  if (!logger) {
    const { LOG_LEVEL, LOG_FILE } = config();
    const streams: pino.StreamEntry[] = [{ stream: pino.destination(1) }];
    if (LOG_FILE) streams.push({ stream: pino.destination({ dest: LOG_FILE, mkdir: true, sync: false }) });
    logger = pino(
      {
        level: LOG_LEVEL,
        base: { app: "bedrock-key-console" },
        redact: { paths: REDACT, censor: "[redacted]" },
        // Every line written while serving a request names it (the X-Request-Id the client got).
        mixin: () => {
          const reqId = currentRequestId();
          return reqId ? { reqId } : {};
        },
      },
      pino.multistream(streams),
    );
  }
  return logger;
}
