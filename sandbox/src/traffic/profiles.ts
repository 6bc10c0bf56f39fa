/**
 * What realistic Bedrock API-key traffic looks like: clients and their user agents, where calls
 * come from, which regions and operations, and when (working hours, fewer calls at weekends).
 * Shared by the live generator and the synthetic record generator so both look alike.
 */
import type { RuntimeOperation } from "../bedrock/trail.js";
import type { Rng } from "./rng.js";

export const USER_AGENTS: readonly (readonly [string, number])[] = [
  ["Boto3/1.39.16 md/Botocore#1.39.16 ua/2.1 os/linux#6.8.0-1029-aws md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.39.16", 30],
  ["Boto3/1.39.16 md/Botocore#1.39.16 ua/2.1 os/windows#11 md/arch#amd64 lang/python#3.12.3 md/pyimpl#CPython m/D,b,Z,3 cfg/retry-mode#legacy Botocore/1.39.16", 8],
  ["Boto3/1.40.4 md/Botocore#1.40.4 ua/2.1 os/macos#24.5.0 md/arch#arm64 lang/python#3.13.5 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.40.4", 10],
  ["aws-sdk-js/3.1163.0 ua/2.1 os/linux#6.1.141 lang/js md/nodejs#22.17.0 api/bedrock-runtime#3.1163.0 m/E,b", 20],
  ["aws-sdk-js/3.1150.0 ua/2.1 os/darwin#24.5.0 lang/js md/nodejs#20.19.4 api/bedrock-runtime#3.1150.0 m/E,b,N", 8],
  ["aws-cli/2.27.50 md/awscrt#0.26.1 ua/2.1 os/linux#6.1.141 md/arch#x86_64 lang/python#3.13.4 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#bedrock-runtime.converse", 5],
  ["curl/8.5.0", 8],
  ["python-requests/2.32.3", 6],
  ["aws-sdk-java/2.31.77 ua/2.1 os/Linux#6.1.141 lang/java#21.0.7 md/OpenJDK_64-Bit_Server_VM#21.0.7+6-LTS md/vendor#Amazon.com_Inc. md/en_US m/E,N,b", 5],
];

/** Clients of the OpenAI- and Anthropic-compatible doors, as their SDKs name themselves. */
export const SDK_USER_AGENTS: Record<"openai" | "anthropic", readonly (readonly [string, number])[]> = {
  openai: [
    ["OpenAI/Python 1.99.9", 40],
    ["OpenAI/JS 5.12.2", 30],
    ["AsyncOpenAI/Python 1.99.9", 10],
  ],
  anthropic: [
    ["Anthropic/Python 0.64.0", 50],
    ["Anthropic/JS 0.60.0", 30],
  ],
};

/**
 * The doors a call goes through: the runtime's own APIs (Converse/InvokeModel), its OpenAI-
 * compatible routes, and bedrock-mantle's Chat Completions, Responses and Anthropic Messages.
 */
export type TrafficApi = "runtime" | "runtime-chat" | "runtime-responses" | "mantle-chat" | "mantle-responses" | "mantle-messages";

/** The traffic generator's default: the runtime's own APIs only (what it has always sent). */
export const RUNTIME_ONLY: readonly (readonly [TrafficApi, number])[] = [["runtime", 1]];

/** A 2026 mix: most calls still through Converse/InvokeModel, a fair share through the SDK-compatible doors. */
export const ALL_DOORS: readonly (readonly [TrafficApi, number])[] = [
  ["runtime", 70],
  ["runtime-chat", 8],
  ["runtime-responses", 5],
  ["mantle-chat", 7],
  ["mantle-responses", 5],
  ["mantle-messages", 5],
];

/** Endpoint regions callers use, by share of calls. */
export const REGIONS: readonly (readonly [string, number])[] = [
  ["us-east-1", 55],
  ["us-west-2", 20],
  ["eu-central-1", 15],
  ["ap-northeast-1", 10],
];

export const OPERATIONS: readonly (readonly [RuntimeOperation, number])[] = [
  ["Converse", 60],
  ["ConverseStream", 20],
  ["InvokeModel", 15],
  ["InvokeModelWithResponseStream", 5],
];

/** Preferred models, by share; each caller draws from those invocable in its region. */
export const MODEL_PREFERENCE: readonly (readonly [RegExp, number])[] = [
  [/claude-3-5-haiku/, 25],
  [/claude-3-7-sonnet/, 20],
  [/claude-sonnet-4/, 18],
  [/nova-(micro|lite)/, 15],
  [/nova-pro/, 6],
  [/llama3/, 8],
  [/titan-text/, 4],
  [/mistral/, 4],
];

export const PROMPTS = [
  "Hello",
  "Summarise this incident report in three bullet points.",
  "Write a SQL query that returns the top 10 customers by revenue last quarter.",
  "Translate the following release notes into Japanese.",
  "What are the trade-offs between DynamoDB and Aurora for session storage?",
  "Review this TypeScript function for bugs.",
  "Draft a polite reply declining the meeting invitation.",
  "Explain the difference between SCPs and permission boundaries.",
  "Generate five test cases for a password strength checker.",
  "Classify this support ticket as billing, technical or account.",
];

/** Home networks of callers: documentation ranges (RFC 5737), never routable addresses. */
const NETWORKS = ["198.51.100.", "203.0.113.", "192.0.2."];

export function ipPool(rng: Rng, size: number): string[] {
  return Array.from({ length: size }, () => `${rng.pick(NETWORKS)}${rng.int(2, 254)}`);
}

/**
 * Spreads `n` instants over [from, to): more on weekdays and in working hours (UTC 07–19),
 * a gentle upward trend across the window. Returned sorted ascending.
 */
export function callTimes(rng: Rng, n: number, from: number, to: number): number[] {
  const span = to - from;
  const times: number[] = [];
  while (times.length < n) {
    // Trend: later in the window is up to 1.6× as likely.
    const t = from + Math.floor(rng.next() * span);
    const pos = (t - from) / span;
    const d = new Date(t);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    const hour = d.getUTCHours();
    const work = hour >= 7 && hour < 19;
    const weight = (0.6 + pos) * (weekend ? 0.35 : 1) * (work ? 1 : 0.3);
    if (rng.next() < weight / 1.6) times.push(t);
  }
  return times.sort((a, b) => a - b);
}
