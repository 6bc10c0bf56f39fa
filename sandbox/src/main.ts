import { DEFAULT_INVOCATION_LOG_DELAY_SECONDS } from "./bedrock/invocation-log.js";
import { createSandbox } from "./server.js";

/** `npm run sandbox`: one endpoint for IAM, STS, CloudTrail and Bedrock runtime. */
const port = Number(process.env.SANDBOX_PORT ?? 4566);
const host = process.env.SANDBOX_HOST ?? "127.0.0.1";
const statePath = process.env.SANDBOX_STATE_FILE || undefined;
const trailDelay = process.env.SANDBOX_TRAIL_DELAY_SECONDS !== undefined ? Number(process.env.SANDBOX_TRAIL_DELAY_SECONDS) : undefined;
const s3Dir = process.env.SANDBOX_S3_DIR || undefined;
const rps = process.env.SANDBOX_LOOKUP_RPS !== undefined ? Number(process.env.SANDBOX_LOOKUP_RPS) : undefined;
// CloudWatch Logs request quotas (FilterLogEvents 5/s, …): on unless SANDBOX_LOGS_THROTTLE=0.
// Model invocation logs reach their log group this long after the call (AWS: "within minutes").
const logDelay = process.env.SANDBOX_INVOCATION_LOG_DELAY_SECONDS !== undefined && process.env.SANDBOX_INVOCATION_LOG_DELAY_SECONDS !== "" ? Number(process.env.SANDBOX_INVOCATION_LOG_DELAY_SECONDS) : DEFAULT_INVOCATION_LOG_DELAY_SECONDS;
if (!Number.isFinite(logDelay) || logDelay < 0) {
  console.error(`SANDBOX_INVOCATION_LOG_DELAY_SECONDS must be a number of seconds ≥ 0, not ${process.env.SANDBOX_INVOCATION_LOG_DELAY_SECONDS}`);
  process.exit(2);
}
const logsThrottle = process.env.SANDBOX_LOGS_THROTTLE !== undefined ? !["0", "false", "off"].includes(process.env.SANDBOX_LOGS_THROTTLE) : undefined;

const sandbox = await createSandbox({
  port,
  host,
  ...(statePath ? { statePath } : {}),
  ...(rps !== undefined && Number.isFinite(rps) ? { lookupEventsRatePerSecond: rps } : {}),
  ...(trailDelay !== undefined && Number.isFinite(trailDelay) && trailDelay >= 0 ? { trailDelaySeconds: trailDelay } : {}),
  ...(s3Dir ? { s3Dir } : {}),
  ...(logsThrottle !== undefined ? { logsThrottle } : {}),
  invocationLogDelaySeconds: logDelay,
});
console.log(`AWS sandbox listening on ${sandbox.url} (account ${sandbox.state.accountId})`);
console.log(`  AWS_ENDPOINT_URL=${sandbox.url} AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AWS_REGION=us-east-1`);
if (statePath) console.log(`  state file: ${statePath}`);
if (logDelay > 0) console.log(`  model invocation logs delivered ${logDelay} s after each call (SANDBOX_INVOCATION_LOG_DELAY_SECONDS)`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: saving and stopping`);
  await sandbox.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
