import type { AsyncLocalStorage } from "node:async_hooks";

/**
 * The id of the request being served, from the AsyncLocalStorage that server.mjs (`npm start`)
 * runs every request in. It lives on globalThis because server.mjs and the app's bundles are
 * separate module graphs of one process; keep the symbol in step with server.mjs. Undefined
 * outside a request (background jobs) and under `next start`/`next dev`, which have no such store.
 */
const REQUEST_CONTEXT = Symbol.for("bedrock-key-console.request");

export function currentRequestId(): string | undefined {
  const store = (globalThis as unknown as Record<symbol, AsyncLocalStorage<{ requestId?: string }> | undefined>)[REQUEST_CONTEXT];
  return store?.getStore()?.requestId;
}
