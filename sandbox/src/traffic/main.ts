/**
 * `npm run sandbox:traffic -- [options]`: realistic Bedrock API-key traffic against a running
 * sandbox, so the console's inventory, usage dashboards and audit views have data to show.
 *
 *   --endpoint URL     sandbox endpoint (default http://127.0.0.1:4566)
 *   --days N           spread calls over the last N days (default 30)
 *   --calls N          live HTTP calls, each at its own backdated moment (default 300)
 *   --bulk N           extra synthetic records inserted through /_sandbox/events (default 0)
 *   --key ABSK…        use an existing long-term key (repeatable)
 *   --keys-file PATH   one long-term key per line (blank lines and # comments ignored)
 *   --users N          console-style key users to create (default 5, or 0 when keys are given)
 *   --all-doors        also call through bedrock-runtime's /openai/v1 routes and bedrock-mantle
 *                      (Chat Completions, Responses, Anthropic Messages), as in the demo
 *   --invocation-logs  turn Bedrock model invocation logging on (CloudWatch Logs, metadata only)
 *                      in every traffic region first, with production-sized prompts
 *   --seed N           reproducible run
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { generateTraffic } from "./generate.js";
import { ALL_DOORS } from "./profiles.js";

const { values } = parseArgs({
  options: {
    endpoint: { type: "string" },
    days: { type: "string" },
    calls: { type: "string" },
    bulk: { type: "string" },
    key: { type: "string", multiple: true },
    "keys-file": { type: "string" },
    users: { type: "string" },
    seed: { type: "string" },
    "all-doors": { type: "boolean" },
    "invocation-logs": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log("usage: npm run sandbox:traffic -- [--endpoint URL] [--days 30] [--calls 300] [--bulk 0] [--key ABSK…]… [--keys-file PATH] [--users N] [--all-doors] [--invocation-logs] [--seed N]");
  process.exit(0);
}

function count(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const keys = [...(values.key ?? [])];
if (values["keys-file"]) {
  for (const line of readFileSync(values["keys-file"], "utf8").split(/\r?\n/)) {
    const k = line.trim();
    if (k && !k.startsWith("#")) keys.push(k);
  }
}
for (const k of keys) {
  if (!k.startsWith("ABSK")) {
    console.error("only long-term keys (ABSK…) can be given; short-term keys are made by the generator");
    process.exit(2);
  }
}

const days = count("days", values.days);
const calls = count("calls", values.calls);
const bulk = count("bulk", values.bulk);
const users = count("users", values.users);
const seed = count("seed", values.seed);

try {
  // The generator logs the callers and a one-line summary through `log`.
  await generateTraffic({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(calls !== undefined ? { calls } : {}),
    ...(bulk !== undefined ? { bulk } : {}),
    ...(users !== undefined ? { createUsers: users } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values["all-doors"] ? { apis: ALL_DOORS } : {}),
    ...(values["invocation-logs"] ? { invocationLogging: true } : {}),
    keys,
    log: (line) => console.log(line),
  });
} catch (e) {
  const err = e as Error & { cause?: { code?: string } };
  if (err.cause?.code === "ECONNREFUSED") console.error(`no sandbox at ${values.endpoint ?? "http://127.0.0.1:4566"}: start it with npm run sandbox`);
  else console.error(err.message);
  process.exit(1);
}
