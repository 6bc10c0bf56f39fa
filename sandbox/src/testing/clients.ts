import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { createSandbox, type Sandbox, type SandboxOptions } from "../server.js";
import { ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } from "../state.js";

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ADMIN: Creds = { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN_SECRET_ACCESS_KEY };

/** Real SDK v3 clients pointed at a sandbox; maxAttempts 1 so errors surface unretried. */
export function clientsFor(url: string, credentials: Creds = ADMIN, region = "us-east-1") {
  const common = { endpoint: url, region, credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient(common),
    sts: new STSClient(common),
    cloudtrail: new CloudTrailClient(common),
  };
}

/** A sandbox on a free port plus admin clients; call `close()` in afterAll/afterEach. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox & ReturnType<typeof clientsFor>> {
  const sandbox = await createSandbox({ port: 0, ...opts });
  return Object.assign(sandbox, clientsFor(sandbox.url));
}

/** POST/GET/DELETE on the control API. */
export async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}/_sandbox/${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Awaits a call that must fail; returns the SDK error's name, message and HTTP status. */
export async function awsError(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const x = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: x.name, message: x.message, status: x.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}
