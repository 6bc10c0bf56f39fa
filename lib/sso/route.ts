import "server-only";
import type { NextRequest } from "next/server";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { metaFromHeaders } from "@/lib/http/request-meta";
import { authErrorStore, classifyAuthError } from "./errors";
import { auditSsoFailure } from "./service";

const ERROR_PAGE = "/signin/error";

/**
 * Runs one Auth.js request and, when it ends on the error page, names the reason (forged state,
 * replayed code, invalid ID token, IdP down) instead of Auth.js's catch-all "Configuration", and
 * audits it. The reason is one of a fixed set; nothing the caller sent is echoed.
 */
export async function handleAuthRequest(req: NextRequest, handler: (req: NextRequest) => Promise<Response>): Promise<Response> {
  const store = { errors: [] as unknown[] };
  const res = await authErrorStore.run(store, () => handler(req));
  const location = res.headers.get("location");
  if (!location || res.status < 300 || res.status >= 400) return res;
  const target = new URL(location, req.nextUrl.origin);
  if (target.pathname !== ERROR_PAGE || store.errors.length === 0) return res;
  const { reason, errorType } = classifyAuthError(store.errors[store.errors.length - 1]);
  try {
    await auditSsoFailure(db(), reason, errorType, metaFromHeaders(req.headers));
  } catch (error) {
    log().error({ err: error }, "audit of a refused SSO callback failed");
  }
  const headers = new Headers();
  res.headers.forEach((value, key) => {
    if (key !== "location" && key !== "set-cookie") headers.append(key, value);
  });
  for (const cookie of res.headers.getSetCookie()) headers.append("set-cookie", cookie);
  headers.set("location", new URL(`${ERROR_PAGE}?reason=${reason}`, target.origin).toString());
  return new Response(null, { status: res.status, headers });
}
