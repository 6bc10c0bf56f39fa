import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { E2E_ENV_FILE } from "./e2e-ports.mjs";

/** What scripts/e2e-server.mjs tells the specs about the running app (see that script). */
export type E2eEnv = {
  /** Temp dir of this run; deleted when the app server stops. */
  tmpDir: string;
  /** The app's SQLite database file, for specs that inspect stored rows. */
  dbFile: string;
  databaseUrl: string;
  /** The app's server log (LOG_FILE), for specs that check what gets logged. */
  logFile: string;
  /** Everything the app's processes printed (Next's console output too). */
  consoleFile: string;
  appUrl: string;
  sandboxUrl: string;
  /** The test OpenID provider (idp/main.mjs). */
  idpUrl: string;
  /** The audit chain's key, for a second console on the same database. */
  auditHmacKey: string;
  /** Password of every seeded demo user. */
  demoPassword: string;
  pid: number;
};

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

let cached: E2eEnv | undefined;

export function e2eEnv(): E2eEnv {
  if (cached) return cached;
  const file = `${repoRoot}${E2E_ENV_FILE}`;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(
      `${E2E_ENV_FILE} is missing: the app server (scripts/e2e-server.mjs) did not start. ` +
        "Run the browser tests through Playwright (npm run test:e2e), which starts it.",
    );
  }
  cached = JSON.parse(text) as E2eEnv;
  return cached;
}
