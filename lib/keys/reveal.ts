/**
 * The one-time reveal's artefacts, built in the browser from the action's result: the CSV in the
 * AWS console's format, a `.env.local` block, and ready-to-run snippets (Converse through boto3,
 * fetch and curl; the OpenAI and Anthropic SDKs through Bedrock's compatible endpoints). Pure;
 * unit-tested.
 *
 * Only the CSV and the `.env.local` block contain the secret. The code snippets read it from the
 * AWS_BEARER_TOKEN_BEDROCK environment variable, so copying code into a repository, a ticket or
 * a chat never spreads the key.
 */

import { csvRow } from "@/lib/csv/writer";
import { mantleModelIds } from "./restriction-policy";

export interface RevealInput {
  /** Shown as "API key name" in the CSV: the IAM user name, as the AWS console writes it. */
  keyName: string;
  secret: string;
  region: string;
  modelId: string;
}

export const CSV_FILE_NAME = "bedrock-long-term-api-key.csv";
export const ENV_FILE_NAME = ".env.local";

/** `https://bedrock-runtime.<region>.amazonaws.com` (China regions: amazonaws.com.cn). */
export function runtimeEndpoint(region: string): string {
  const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://bedrock-runtime.${region}.${domain}`;
}

/** The Converse URL for a model; the id is encoded (`:` → `%3A`) as the AWS SDKs do. */
export function converseUrl(region: string, modelId: string, endpoint: string = runtimeEndpoint(region)): string {
  return `${endpoint.replace(/\/+$/, "")}/model/${encodeURIComponent(modelId)}/converse`;
}

/** `https://bedrock-mantle.<region>.api.aws`: the OpenAI- and Anthropic-compatible endpoint. */
export function mantleEndpoint(region: string): string {
  return `https://bedrock-mantle.${region}.api.aws`;
}

/**
 * Base URLs of the SDK doors, as AWS documents them: bedrock-runtime's OpenAI-compatible routes
 * under `/openai/v1`, bedrock-mantle's under `/v1`, and its Anthropic Messages API under
 * `/anthropic` (the Anthropic SDK adds `/v1/messages`).
 */
export const runtimeOpenAiBaseUrl = (region: string, endpoint: string = runtimeEndpoint(region)) => `${endpoint.replace(/\/+$/, "")}/openai/v1`;
export const mantleOpenAiBaseUrl = (region: string, endpoint: string = mantleEndpoint(region)) => `${endpoint.replace(/\/+$/, "")}/v1`;
export const mantleAnthropicBaseUrl = (region: string, endpoint: string = mantleEndpoint(region)) => `${endpoint.replace(/\/+$/, "")}/anthropic`;

/** Claude, for the Anthropic SDK snippet when the suggested model is not an Anthropic one. */
const DEFAULT_CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";

/**
 * The OpenAI SDK snippets use bedrock-runtime's `/openai/v1`, which AWS recommends for new
 * applications ("Responses API": use bedrock-mantle only when a model or capability is missing on
 * bedrock-runtime) and which takes the same model and inference-profile ids as Converse. The
 * comment names bedrock-mantle's `/v1` and the model id it expects (in-Region, no profiles).
 */
export function openAiMantleModel(modelId: string): string | null {
  const model = mantleModelIds([modelId])[0] ?? modelId;
  // bedrock-mantle serves Claude only through its Anthropic Messages API.
  return model.startsWith("anthropic.") ? null : model;
}

/** The model the Anthropic SDK snippets call: the suggested model at mantle when it is Claude. */
export function anthropicModel(modelId: string): string {
  const model = mantleModelIds([modelId])[0] ?? modelId;
  return model.startsWith("anthropic.") ? model : DEFAULT_CLAUDE;
}

export function keyCsv(input: Pick<RevealInput, "keyName" | "secret">): { fileName: string; content: string } {
  return {
    fileName: CSV_FILE_NAME,
    content: csvRow(["API key name", "API key"]) + csvRow([input.keyName, input.secret]),
  };
}

export function envSnippet(input: Pick<RevealInput, "secret" | "region" | "modelId">): string {
  return [
    `AWS_BEARER_TOKEN_BEDROCK=${input.secret}`,
    `AWS_REGION=${input.region}`,
    `BEDROCK_MODEL_ID=${input.modelId}`,
    "",
  ].join("\n");
}

const json = (v: string) => JSON.stringify(v);

export function pythonSnippet(input: Pick<RevealInput, "region" | "modelId">): string {
  return `import boto3

# boto3 >= 1.39 sends AWS_BEARER_TOKEN_BEDROCK (from your environment / .env.local) as a Bearer token.
client = boto3.client("bedrock-runtime", region_name=${json(input.region)})

response = client.converse(
    modelId=${json(input.modelId)},
    messages=[{"role": "user", "content": [{"text": "Hello"}]}],
)
print(response["output"]["message"]["content"][0]["text"])
`;
}

export function javascriptSnippet(input: Pick<RevealInput, "region" | "modelId">): string {
  return `// Node 20+: node --env-file=.env.local converse.mjs
const url = ${json(converseUrl(input.region, input.modelId))};

const response = await fetch(url, {
  method: "POST",
  headers: {
    "Content-Type": "application/json",
    Authorization: \`Bearer \${process.env.AWS_BEARER_TOKEN_BEDROCK}\`,
  },
  body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "Hello" }] }] }),
});
if (!response.ok) throw new Error(\`\${response.status}: \${await response.text()}\`);
const data = await response.json();
console.log(data.output.message.content[0].text);
`;
}

export function curlSnippet(input: Pick<RevealInput, "region" | "modelId">): string {
  // The URL is percent-encoded, so it is safe inside double quotes.
  return `curl -sS -X POST "${converseUrl(input.region, input.modelId)}" \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK" \\
  -d '{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}'
`;
}

function openAiNote(input: Pick<RevealInput, "region" | "modelId">, comment: string): string {
  const mantleModel = openAiMantleModel(input.modelId);
  return mantleModel
    ? `${comment} bedrock-mantle serves the same calls at ${mantleOpenAiBaseUrl(input.region)} (model ${json(mantleModel)}).`
    : `${comment} On bedrock-mantle, Claude is served through the Anthropic SDK (see that tab).`;
}

export function openAiPythonSnippet(input: Pick<RevealInput, "region" | "modelId">): string {
  return `import os

from openai import OpenAI  # pip install openai

# Bedrock's OpenAI-compatible API on bedrock-runtime.
${openAiNote(input, "#")}
client = OpenAI(
    base_url=${json(runtimeOpenAiBaseUrl(input.region))},
    api_key=os.environ["AWS_BEARER_TOKEN_BEDROCK"],
)

completion = client.chat.completions.create(
    model=${json(input.modelId)},
    messages=[{"role": "user", "content": "Hello"}],
)
print(completion.choices[0].message.content)
`;
}

export function openAiTypeScriptSnippet(input: Pick<RevealInput, "region" | "modelId">): string {
  return `// npm install openai; node --env-file=.env.local chat.mts (Node 22.18+ runs TypeScript)
import OpenAI from "openai";

// Bedrock's OpenAI-compatible API on bedrock-runtime.
${openAiNote(input, "//")}
const client = new OpenAI({
  baseURL: ${json(runtimeOpenAiBaseUrl(input.region))},
  apiKey: process.env.AWS_BEARER_TOKEN_BEDROCK,
});

const completion = await client.chat.completions.create({
  model: ${json(input.modelId)},
  messages: [{ role: "user", content: "Hello" }],
});
console.log(completion.choices[0]?.message.content);
`;
}

export function anthropicPythonSnippet(input: Pick<RevealInput, "region" | "modelId">): string {
  return `import os

from anthropic import Anthropic  # pip install anthropic

# bedrock-mantle's Anthropic Messages API (Claude models).
client = Anthropic(
    base_url=${json(mantleAnthropicBaseUrl(input.region))},
    api_key=os.environ["AWS_BEARER_TOKEN_BEDROCK"],
)

message = client.messages.create(
    model=${json(anthropicModel(input.modelId))},
    max_tokens=1024,
    messages=[{"role": "user", "content": "Hello"}],
)
print(message.content[0].text)
`;
}

export function anthropicTypeScriptSnippet(input: Pick<RevealInput, "region" | "modelId">): string {
  return `// npm install @anthropic-ai/sdk; node --env-file=.env.local messages.mts (Node 22.18+ runs TypeScript)
import Anthropic from "@anthropic-ai/sdk";

// bedrock-mantle's Anthropic Messages API (Claude models).
const client = new Anthropic({
  baseURL: ${json(mantleAnthropicBaseUrl(input.region))},
  apiKey: process.env.AWS_BEARER_TOKEN_BEDROCK,
});

const message = await client.messages.create({
  model: ${json(anthropicModel(input.modelId))},
  max_tokens: 1024,
  messages: [{ role: "user", content: "Hello" }],
});
const block = message.content[0];
console.log(block?.type === "text" ? block.text : block);
`;
}

/** Everything the reveal screen offers, in one call. */
export function revealArtefacts(input: RevealInput) {
  return {
    csv: keyCsv(input),
    env: envSnippet(input),
    python: pythonSnippet(input),
    javascript: javascriptSnippet(input),
    curl: curlSnippet(input),
    openaiPython: openAiPythonSnippet(input),
    openaiTypeScript: openAiTypeScriptSnippet(input),
    anthropicPython: anthropicPythonSnippet(input),
    anthropicTypeScript: anthropicTypeScriptSnippet(input),
  };
}
