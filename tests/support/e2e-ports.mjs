// Ports for the browser tests, away from the ones `npm run demo` uses (3000 for the console,
// 4566 for the sandbox), so a demo left running never meets the tests. Shared by
// playwright.config.ts and scripts/e2e-server.mjs. E2E_APP_PORT / E2E_SANDBOX_PORT move them, so
// two checkouts on one machine can run their browser tests side by side.
const port = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return n;
};
export const E2E_APP_PORT = port("E2E_APP_PORT", 3100);
export const E2E_SANDBOX_PORT = port("E2E_SANDBOX_PORT", 4577);
// The test OpenID provider (idp/main.mjs), beside the sandbox by default; E2E_IDP_PORT moves it.
export const E2E_IDP_PORT = port("E2E_IDP_PORT", E2E_SANDBOX_PORT + 1);
// Its sign-in pages (authorization, login form, end-session) on a port of their own, named in its
// discovery document: another origin than the issuer's, as AWS Cognito's hosted sign-in is.
export const E2E_IDP_LOGIN_PORT = port("E2E_IDP_LOGIN_PORT", E2E_IDP_PORT + 1);
// A second console a spec may start with other settings (tests/sso.spec.ts: LOCAL_SIGNIN=off).
export const E2E_APP2_PORT = port("E2E_APP2_PORT", E2E_APP_PORT + 1);
export const E2E_APP_URL = `http://localhost:${E2E_APP_PORT}`;
export const E2E_APP2_URL = `http://localhost:${E2E_APP2_PORT}`;
export const E2E_IDP_URL = `http://127.0.0.1:${E2E_IDP_PORT}`;
export const E2E_IDP_LOGIN_URL = `http://127.0.0.1:${E2E_IDP_LOGIN_PORT}`;
// The client the console is registered as at the test IdP (a test-only secret, not a credential).
export const E2E_IDP_CLIENT = { id: "bedrock-key-console", secret: "e2e-idp-client-secret" };
export const E2E_SANDBOX_URL = `http://127.0.0.1:${E2E_SANDBOX_PORT}`;
// Where scripts/e2e-server.mjs tells the specs about the run (temp dir, database, log file).
export const E2E_ENV_FILE = "test-results/e2e-env.json";
