import { chromium, type FullConfig } from "@playwright/test";
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DEMO_USERS, ROLES, signIn, storageStatePath } from "./support/auth";
import { chromiumLaunchOptions } from "./support/browser.mjs";
import { e2eEnv } from "./support/e2e-env";
import { E2E_APP_URL } from "./support/e2e-ports.mjs";
import { startLocalSmtp } from "../lib/testing/smtp-server";

// Signs in once per role through the real sign-in page and saves each session, so feature
// specs start signed in (tests/support/fixtures.ts) without repeating the sign-in every test.
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const env = e2eEnv();
  // Workers are started after global setup and inherit this process's environment.
  process.env.E2E_TMP_DIR = env.tmpDir;
  // A real SMTP server on a free port for the whole run (issue 15's e-mail): specs point the
  // console's SMTP settings at it and read what it received from the file (one JSON per line).
  const mailFile = path.join(env.tmpDir, "received-mail.jsonl");
  const smtp = await startLocalSmtp({ onMail: (mail) => appendFileSync(mailFile, `${JSON.stringify(mail)}\n`) });
  process.env.E2E_SMTP_PORT = String(smtp.port);
  process.env.E2E_MAIL_FILE = mailFile;

  const baseURL = config.projects[0]?.use.baseURL ?? E2E_APP_URL;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    for (const role of ROLES) {
      const context = await browser.newContext({ baseURL });
      try {
        await signIn(await context.newPage(), DEMO_USERS[role].email, env.demoPassword);
        const file = storageStatePath(role);
        mkdirSync(path.dirname(file), { recursive: true });
        await context.storageState({ path: file });
      } catch (error) {
        throw new Error(`global setup: could not sign in as ${role}: ${error instanceof Error ? error.message : error}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return () => smtp.close();
}
