// Loads Prisma's WebAssembly schema engine (the Rust migration engine compiled to wasm).
//
// Why two files from two packages:
// - The wasm binary that matches the installed CLI exactly (same engines commit hash) ships
//   inside the `prisma` package itself: node_modules/prisma/build/schema_engine_bg.wasm.
//   The CLI does not load it anywhere, but it is byte-for-byte the engine the CLI was built with.
// - Its wasm-bindgen JavaScript glue is not shipped by the CLI. The only published
//   `@prisma/schema-engine-wasm` on the registry close to this CLI is a later build
//   (see package.json for the pinned version) whose glue has the very same import/export
//   names (wasm-bindgen hashes every binding's signature into its name), so the glue fits.
//
// We verify that fit at start-up instead of assuming it: if a future `prisma` upgrade ships a
// wasm whose bindings differ, we fall back to the wasm that came with the glue package and say so
// on stderr. Either way nothing is downloaded.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";

const require = createRequire(import.meta.url);
const GLUE_MODULE_NAME = "./schema_engine_bg.js";

/** Paths of the candidate wasm binaries, most exact first. */
function wasmCandidates() {
  const cliBuild = path.join(path.dirname(require.resolve("prisma/package.json")), "build");
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  return {
    gluePath,
    candidates: [
      { source: "prisma CLI", file: path.join(cliBuild, "schema_engine_bg.wasm") },
      { source: "@prisma/schema-engine-wasm", file: path.join(path.dirname(gluePath), "schema_engine_bg.wasm") },
    ],
  };
}

/** The names the glue calls on the instance (`wasm.foo(...)`) must all be exported by the module. */
function bindingMismatch(wasmModule, glueSource) {
  const neededExports = new Set([...glueSource.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]));
  const exported = new Set(WebAssembly.Module.exports(wasmModule).map((e) => e.name));
  const missingExports = [...neededExports].filter((name) => !exported.has(name));
  const missingImports = WebAssembly.Module.imports(wasmModule)
    .filter((i) => i.module !== GLUE_MODULE_NAME || typeof glue[i.name] !== "function")
    .map((i) => `${i.module}:${i.name}`);
  const missing = [...missingExports, ...missingImports];
  return missing.length > 0 ? missing.slice(0, 5).join(", ") : null;
}

// The glue reports the message of a Rust panic through this global before the wasm traps (the
// Prisma CLI defines it in its own process). Without it a panic would surface as a TypeError.
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: "",
  set_message(message) {
    this.message = message;
  },
};

/** The message of the last Rust panic, if any ("" otherwise). */
export const lastPanicMessage = () => globalThis.PRISMA_WASM_PANIC_REGISTRY.message ?? "";

let loaded = null;

/**
 * Instantiates the wasm engine once per process and returns the glue module
 * (`SchemaEngine` class and `version()`), plus where the binary came from.
 * @param {(line: string) => void} warn receives a human-readable warning when falling back
 */
export function loadSchemaEngineWasm(warn) {
  if (loaded) return loaded;
  const { gluePath, candidates } = wasmCandidates();
  const glueSource = readFileSync(gluePath, "utf8");
  for (const candidate of candidates) {
    let wasmModule;
    try {
      wasmModule = new WebAssembly.Module(readFileSync(candidate.file));
    } catch (error) {
      warn(`cannot read ${candidate.file}: ${error.message}`);
      continue;
    }
    const mismatch = bindingMismatch(wasmModule, glueSource);
    if (mismatch) {
      warn(`${candidate.file} does not fit the @prisma/schema-engine-wasm glue (${mismatch}); trying the next one`);
      continue;
    }
    const instance = new WebAssembly.Instance(wasmModule, { [GLUE_MODULE_NAME]: glue });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    loaded = { engine: glue, source: candidate.source, file: candidate.file };
    return loaded;
  }
  throw new Error("No usable schema_engine_bg.wasm found (looked in the prisma CLI and @prisma/schema-engine-wasm)");
}
