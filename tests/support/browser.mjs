// Finds the Chromium that Playwright should drive. Shared by scripts/test.mjs (which refuses
// to start without a browser) and playwright.config.ts / tests/global-setup.ts (which launch
// it), so the pre-flight check and the real launch can never disagree about the path.
//
// Plain ESM JavaScript on purpose: scripts/test.mjs runs with bare Node, no TypeScript loader.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const CHROMIUM_ENV = "PLAYWRIGHT_CHROMIUM_EXECUTABLE";
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

// The machines this project runs on reach no network but the package registries. Without the
// background-networking flags Chromium keeps dialling Google's hosts, which this network
// refuses many times a second. --no-sandbox: CI runs as root, where Chromium's sandbox won't start.
export const CHROMIUM_ARGS = Object.freeze([
  "--no-sandbox",
  "--disable-dev-shm-usage",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]);

export const HOW_TO_GET_CHROMIUM = [
  "Browser tests need Chromium. Get one in any of these ways:",
  "  - Debian/Ubuntu:         sudo apt-get install -y chromium   (gives /usr/bin/chromium)",
  "  - where downloads work:  npx playwright install chromium    (Playwright's own build)",
  `  - any other Chromium:    export ${CHROMIUM_ENV}=/path/to/chrome`,
].join("\n");

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// Playwright's bundled Chromium, if `npx playwright install chromium` has put it on disk.
// Synchronous (require, not import()) so playwright.config.ts can build its config object
// without top-level await.
function bundledChromium() {
  try {
    const { chromium } = require("@playwright/test");
    const path = chromium.executablePath();
    return path && isExecutableFile(path) ? path : undefined;
  } catch {
    // @playwright/test not installed (or too old to answer): there is no bundled browser.
    return undefined;
  }
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ ok: true, path: string, source: string } | { ok: false, message: string }}
 */
export function findChromium(env = process.env) {
  const fromEnv = env[CHROMIUM_ENV];
  if (fromEnv) {
    // An explicit choice that points nowhere is an error, not a cue to quietly use another
    // browser: the person who set it expects that browser to be the one under test.
    if (isExecutableFile(fromEnv)) return { ok: true, path: fromEnv, source: `$${CHROMIUM_ENV}` };
    const why = existsSync(fromEnv) ? "which is not an executable file" : "but no file exists there";
    return {
      ok: false,
      message: `${CHROMIUM_ENV} is set to ${fromEnv}, ${why}.\n\n${HOW_TO_GET_CHROMIUM}`,
    };
  }
  if (isExecutableFile(DEBIAN_CHROMIUM)) return { ok: true, path: DEBIAN_CHROMIUM, source: "system package" };
  const bundled = bundledChromium();
  if (bundled) return { ok: true, path: bundled, source: "Playwright's bundled browser" };
  return {
    ok: false,
    message: `No Chromium found (${CHROMIUM_ENV} unset, no ${DEBIAN_CHROMIUM}, no Playwright browser).\n\n${HOW_TO_GET_CHROMIUM}`,
  };
}

/** Launch options for chromium.launch() / the `launchOptions` of playwright.config.ts. */
export function chromiumLaunchOptions(env = process.env) {
  const found = findChromium(env);
  if (!found.ok) throw new Error(found.message);
  return { executablePath: found.path, args: [...CHROMIUM_ARGS] };
}
