// Types for browser.mjs, so playwright.config.ts and global-setup.ts typecheck under strict
// mode (the project has allowJs off).
export declare const CHROMIUM_ENV: "PLAYWRIGHT_CHROMIUM_EXECUTABLE";
export declare const DEBIAN_CHROMIUM: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare const HOW_TO_GET_CHROMIUM: string;

export type ChromiumLookup =
  | { ok: true; path: string; source: string }
  | { ok: false; message: string };

export declare function findChromium(env?: NodeJS.ProcessEnv): ChromiumLookup;
export declare function chromiumLaunchOptions(
  env?: NodeJS.ProcessEnv,
): { executablePath: string; args: string[] };
