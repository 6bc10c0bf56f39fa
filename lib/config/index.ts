import "server-only";
import { parseConfig, type Config } from "./schema";

// The only module that reads process.env (enforced by eslint). Parsed once, lazily, so that
// `next build` can import modules without a full runtime configuration.
let cached: Config | undefined;

export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

export type { Config };
