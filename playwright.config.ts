import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/support/browser.mjs";
import { E2E_APP2_URL, E2E_APP_URL, E2E_IDP_CLIENT, E2E_IDP_LOGIN_PORT, E2E_IDP_PORT, E2E_IDP_URL, E2E_SANDBOX_PORT, E2E_SANDBOX_URL } from "./tests/support/e2e-ports.mjs";

// Throws with instructions when no Chromium is found: browser tests never skip silently.
const launchOptions = chromiumLaunchOptions();

export default defineConfig({
  testDir: "tests",
  testMatch: "**/*.spec.ts",
  // Not the default test-results/: Playwright empties its outputDir at start, and
  // test-results/ also holds vitest.json and e2e-env.json.
  outputDir: "test-results/e2e-artifacts",
  globalSetup: "./tests/global-setup.ts",
  // Journeys share one seeded database, its signed-in sessions and two servers: one worker
  // (the "chromium" project's limit) keeps them deterministic. The second worker runs the
  // "instances" project beside them: it starts its own PostgreSQL, sandbox and consoles, shares
  // nothing with the journeys, and spends most of its two minutes waiting on schedulers.
  // Retries stay 0 everywhere, so a flaky test shows up as a failure.
  workers: 2,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ["list"],
    // scripts/test.mjs reads the counts from here for its closing line.
    ["json", { outputFile: "test-results/playwright.json" }],
    ["html", { outputFolder: "playwright-report", open: "never" }],
  ],
  use: {
    baseURL: E2E_APP_URL,
    // A failed test keeps its trace: every action with the DOM before and after, the network and
    // the console. Without the screencast, which cost about a sixth of the browser tests' time on
    // 2 cores; the failure's own screenshot is still taken.
    trace: { mode: "retain-on-failure", screenshots: false },
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      testIgnore: "**/instances.spec.ts",
      workers: 1,
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
    {
      name: "instances",
      testMatch: "**/instances.spec.ts",
      workers: 1,
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
  ],
  // Started in this order and stopped with SIGTERM, so scripts/e2e-server.mjs can delete its
  // temp database. Never reuse a running server: a stale one from an earlier run once passed
  // tests against old code.
  webServer: [
    {
      name: "sandbox",
      command: "node --import tsx sandbox/src/main.ts",
      // Empty state file = in memory: every run starts from a fresh account, whatever the
      // developer's shell or a demo left behind.
      // Invocation-log records delivered at once (the process default is a realistic minute).
      env: { SANDBOX_PORT: String(E2E_SANDBOX_PORT), SANDBOX_HOST: "127.0.0.1", SANDBOX_STATE_FILE: "", SANDBOX_INVOCATION_LOG_DELAY_SECONDS: "0" },
      url: `${E2E_SANDBOX_URL}/_sandbox/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      // A real OpenID provider (idp/, oidc-provider) with its own users and groups; the console
      // reaches it only through OIDC_ISSUER (scripts/e2e-server.mjs).
      name: "idp",
      command: "node idp/main.mjs",
      env: {
        IDP_PORT: String(E2E_IDP_PORT),
        IDP_LOGIN_PORT: String(E2E_IDP_LOGIN_PORT),
        IDP_HOST: "127.0.0.1",
        IDP_CLIENT_ID: E2E_IDP_CLIENT.id,
        IDP_CLIENT_SECRET: E2E_IDP_CLIENT.secret,
        IDP_REDIRECT_URIS: [E2E_APP_URL, E2E_APP2_URL].map((u) => `${u}/api/auth/callback/oidc`).join(","),
        IDP_POST_LOGOUT_REDIRECT_URIS: [E2E_APP_URL, E2E_APP2_URL].map((u) => `${u}/signin`).join(","),
      },
      url: `${E2E_IDP_URL}/_idp/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      name: "app",
      command: "node scripts/e2e-server.mjs",
      url: `${E2E_APP_URL}/signin`,
      reuseExistingServer: false,
      // Migrate + seed + `next start` on 2 cores.
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  ],
});
