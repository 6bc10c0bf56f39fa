import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The project's root directory. */
export const PROJECT_ROOT = join(__dirname, "..", "..");

/**
 * Test support: the product's source files under `dir` (absolute paths) whose names match `ext`,
 * leaving out tests, generated code and dependencies — for the tests that scan the source for
 * what every feature must do alike (audit actions, globals).
 */
export function productSourceFiles(dir: string, ext = /\.tsx?$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" || e.name === "node_modules" ? [] : productSourceFiles(path, ext);
    return ext.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}
