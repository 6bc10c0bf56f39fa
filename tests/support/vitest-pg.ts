/**
 * vitest globalSetup: with TEST_DATABASE=postgresql, start a throw-away PostgreSQL cluster and
 * migrate the template database the tests copy (lib/testing/test-db.ts), unless TEST_PG_URL
 * already names a server; stop and remove it when the run ends. Without TEST_DATABASE it does
 * nothing, so the default run stays on SQLite with no server.
 */
import { createTemplate, startPgCluster } from "./pg-cluster.mjs";

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.TEST_DATABASE !== "postgresql") return undefined;
  if (process.env.TEST_PG_URL) {
    await createTemplate(process.env.TEST_PG_URL);
    return undefined;
  }
  const cluster = await startPgCluster();
  // Workers are forked after global setup and inherit this environment.
  process.env.TEST_PG_URL = cluster.url();
  await createTemplate(cluster.url());
  return () => cluster.stop();
}
