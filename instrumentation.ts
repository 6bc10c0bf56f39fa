/**
 * Runs once when the server starts. Node-only work lives in lib/startup.ts so the Edge bundle
 * never sees it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onServerStart } = await import("./lib/startup");
    await onServerStart();
  }
}
