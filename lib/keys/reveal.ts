/**
 * The one-time reveal's artefacts, built in the browser from the action's result: the CSV in the
 * AWS console's format, a `.env.local` block, and ready-to-run snippets. Pure; unit-tested.
 *
 * Only the CSV and the `.env.local` block contain the secret. The code snippets read it from the
 * AWS_BEARER_TOKEN_BEDROCK environment variable, so copying code into a repository, a ticket or
 * a chat never spreads the key.
 */

import { csvRow } from "@/lib/csv/writer";

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

/** Everything the reveal screen offers, in one call. */
export function revealArtefacts(input: RevealInput) {
  return {
    csv: keyCsv(input),
    env: envSnippet(input),
    python: pythonSnippet(input),
    javascript: javascriptSnippet(input),
    curl: curlSnippet(input),
  };
}
