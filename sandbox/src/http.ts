import type http from "node:http";
import type { Principal } from "./iam/credentials.js";
import type { SandboxState } from "./state.js";

/** An AWS-style error: code, message and HTTP status, rendered in the protocol of the service. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: "Sender" | "Receiver" = status >= 500 ? "Receiver" : "Sender",
  ) {
    super(message);
  }
}

/** Shape of the context the Bedrock runtime handler receives (see DESIGN.md). */
export interface RuntimeContext {
  state: SandboxState;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string;
  region: string;
  res: http.ServerResponse;
}

/** An authenticated AWS API call, as the IAM/STS/CloudTrail handlers see it. */
export interface ApiCall {
  state: SandboxState;
  action: string;
  params: URLSearchParams;
  region: string;
  principal: Principal;
  accessKeyId: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
}

export function readBody(req: http.IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limitBytes) {
        reject(new AwsError("RequestEntityTooLarge", "Request body too large", 413));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function flatHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  }
  return out;
}

export function sourceIpOf(req: http.IncomingMessage, headers: Record<string, string>): string {
  const xff = headers["x-forwarded-for"];
  if (xff) return xff.split(",")[0]!.trim();
  const addr = req.socket.remoteAddress ?? "127.0.0.1";
  return addr.startsWith("::ffff:") ? addr.slice(7) : addr;
}

export function send(
  res: http.ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    Date: new Date().toUTCString(),
    ...headers,
  });
  res.end(body);
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, "application/json", JSON.stringify(value), headers);
}
