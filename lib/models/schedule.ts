import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { modelsDeps } from "./deps";
import { ensureLiveCatalogue } from "./live";
import { refreshModelCatalogue } from "./service";

// After the inventory's first refresh (15 s) and the usage sync (20 s): the catalogue is small,
// and until it is read the offline fallback serves.
const FIRST_RUN_DELAY_MS = 25_000;
/** How often each instance re-reads the stored catalogue (another instance may have refreshed it). */
const RELOAD_EVERY_MS = 60_000;
const globalForSchedule = globalThis as unknown as { __modelsSchedule?: NodeJS.Timeout; __modelsReload?: NodeJS.Timeout };

/**
 * Read the model catalogue from AWS every MODELS_REFRESH_MINUTES inside the server process
 * (started from instrumentation.ts), and once shortly after start. Every instance runs the timer;
 * the database lease makes only one of them read at a time.
 */
export function startModelsSchedule(): void {
  if (globalForSchedule.__modelsReload) return;
  const reload = () => void ensureLiveCatalogue(db()).catch((err: unknown) => log().warn({ err }, "could not load the stored model catalogue"));
  reload();
  globalForSchedule.__modelsReload = setInterval(reload, RELOAD_EVERY_MS);
  globalForSchedule.__modelsReload.unref();
  const minutes = config().MODELS_REFRESH_MINUTES;
  if (minutes === 0) return;
  const tick = () => {
    refreshModelCatalogue(modelsDeps())
      .then((o) => {
        if (o.status !== "done") return;
        const failed = o.regions.filter((r) => !r.ok);
        const fields = { regions: o.regions.length, failed: failed.map((r) => ({ account: r.accountId, region: r.region, code: r.errorCode })) };
        if (failed.length === 0) log().info(fields, "model catalogue read");
        else log().warn(fields, "model catalogue read incomplete");
      })
      .catch((err: unknown) => log().error({ err }, "scheduled model catalogue read failed"));
  };
  // unref: the timers never keep a stopping server alive.
  setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  globalForSchedule.__modelsSchedule = setInterval(tick, minutes * 60_000);
  globalForSchedule.__modelsSchedule.unref();
}
