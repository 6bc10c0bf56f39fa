/** The most keys one bulk request may name: large enough for a team's clean-up, small enough to finish within one request. */
export const BULK_MAX_KEYS = 500;
/** Keys acted on at once: bounded so a batch neither floods IAM (its TPS quotas) nor holds many database connections. */
export const BULK_CONCURRENCY = 4;
