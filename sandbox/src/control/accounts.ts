/**
 * Control routes for the accounts the sandbox emulates (issue 14):
 *   GET  /_sandbox/accounts                      every account, with its administrator key
 *   POST /_sandbox/accounts {id, name, email?}   a new, empty member account of the organisation
 *   POST /_sandbox/accounts/<id>/suspend         Organizations lists it as SUSPENDED
 *   POST /_sandbox/accounts/<id>/leave           it leaves the organisation (no longer listed)
 * The administrator key is the account's root: tests and the demo use it to create roles there.
 */
import type http from "node:http";
import { createAccount } from "../accounts.js";
import { sendJson } from "../http.js";
import type { SandboxState } from "../state.js";

function view(a: SandboxState) {
  return {
    id: a.accountId,
    name: a.org.name,
    email: a.org.email,
    state: a.org.state,
    member: a.org.member,
    adminAccessKeyId: a.adminAccessKeyId,
    adminSecretAccessKey: a.adminSecretAccessKey,
  };
}

export function handleAccountsControl(
  root: SandboxState,
  method: string,
  path: string,
  body: Buffer,
  res: http.ServerResponse,
  hooks: { onCreated?: (account: SandboxState) => void; onChanged?: () => void } = {},
): void {
  try {
    if (method === "GET" && path === "/_sandbox/accounts") return sendJson(res, 200, { accounts: [...root.accounts.values()].map(view) });
    if (method === "POST" && path === "/_sandbox/accounts") {
      const input = JSON.parse(body.toString("utf8") || "{}") as { id?: unknown; name?: unknown; email?: unknown };
      if (typeof input.id !== "string" || typeof input.name !== "string") throw new Error("expected {\"id\": \"<12 digits>\", \"name\": \"…\"}");
      const account = createAccount(root, { id: input.id, name: input.name, ...(typeof input.email === "string" ? { email: input.email } : {}) });
      hooks.onCreated?.(account);
      return sendJson(res, 201, view(account));
    }
    const m = /^\/_sandbox\/accounts\/(\d{12})\/(suspend|leave)$/.exec(path);
    if (method === "POST" && m) {
      const account = root.accounts.get(m[1]!);
      if (!account) return sendJson(res, 404, { message: `No account ${m[1]}` });
      if (m[2] === "suspend") account.org.state = "SUSPENDED";
      else account.org.member = false;
      hooks.onChanged?.();
      return sendJson(res, 200, view(account));
    }
    return sendJson(res, 404, { message: `No control route ${method} ${path}` });
  } catch (e) {
    sendJson(res, 400, { message: (e as Error).message });
  }
}
