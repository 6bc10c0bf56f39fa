import { ConfigError, parseConfig } from "./config/schema";

/**
 * A bad or missing setting stops start-up here, with one message listing every problem, instead
 * of failing later on the first request that needs it.
 */
export async function onServerStart(): Promise<void> {
  try {
    // eslint-disable-next-line no-restricted-properties -- start-up validation of the environment itself
    parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Many accounts (issue 14): the account of the console's own credentials is registered as the
  // first one, so a single-account install needs no step. Best effort: without AWS at start-up
  // it happens on the first refresh or page that needs it.
  void Promise.all([import("./accounts/deps"), import("./log")]).then(([{ accountAccess }, { log }]) =>
    accountAccess()
      .ensureDefault()
      .catch((err: unknown) => log().warn({ err }, "could not register the console's own AWS account yet")),
  );
  // Prices (issue 15): AWS's list shipped with the console (lib/cost/prices.json) into ModelPrice,
  // idempotently (unchanged rows stay; changed ones are superseded, so past costs keep their price).
  void Promise.all([import("./cost/prices"), import("./db"), import("./log")]).then(([{ loadAwsPrices }, { db }, { log }]) =>
    loadAwsPrices(db())
      .then((r) => (r.inserted + r.superseded > 0 ? log().info(r, "model prices loaded") : undefined))
      .catch((err: unknown) => log().warn({ err }, "could not load the model price list")),
  );
  // Scheduled inventory refresh (issue 4): a timer per instance, a database lease so only one refreshes.
  const { startInventorySchedule, startRotationSchedule } = await import("./keys/schedule");
  startInventorySchedule();
  // Key rotations (issue 16): end overlaps when their grace period is over, retried until done.
  startRotationSchedule();
  // Request jobs (issue 6): expire approvals not picked up in time, reminders; webhook retries.
  const { startRequestJobs } = await import("./requests/schedule");
  startRequestJobs();
  // Scheduled CloudTrail usage sync (issue 5): first run shortly after start, then every
  // USAGE_SYNC_MINUTES; a database lease keeps it to one sync at a time across instances.
  const { startUsageSchedule } = await import("./usage/schedule");
  startUsageSchedule();
  // Signed audit checkpoints (issue 10): anchor the audit chain's head outside the database.
  const { startAuditCheckpoints } = await import("./audit/schedule");
  startAuditCheckpoints();
  // Operations (issue 12): prune usage events past USAGE_RETENTION_DAYS (rollups and audit kept);
  // on SIGTERM drain, let jobs finish and release their leases before `next start` exits.
  const { startUsageRetention } = await import("./usage/retention-schedule");
  startUsageRetention();
  // Models from AWS (issue 15): the stored catalogue loaded now, read from Bedrock on a schedule.
  const { startModelsSchedule } = await import("./models/schedule");
  startModelsSchedule();
  // Budgets (issue 15): evaluate every BUDGET_EVALUATE_MINUTES under a lease; e-mail retries.
  const { startBudgetSchedule } = await import("./budgets/schedule");
  startBudgetSchedule();
  // Tokens and cost (issue 15): the invocation logs read every INVOCATION_LOG_SYNC_MINUTES besides the usage sync.
  const { startInvocationLogSchedule } = await import("./cost/schedule");
  startInvocationLogSchedule();
  // Scheduled posture evaluation and opt-in remediation (issue 16).
  const { startPostureSchedule } = await import("./posture/schedule");
  startPostureSchedule();
  const [{ installShutdownHandler }, { db }, { log }, { config }] = await Promise.all([
    import("./ops/shutdown"),
    import("./db"),
    import("./log"),
    import("./config"),
  ]);
  installShutdownHandler({ db, graceMs: config().SHUTDOWN_GRACE_SECONDS * 1000, log: log() });
}
