// ESLint flat config: Next's core-web-vitals + TypeScript presets (eslint-config-next 16
// exports both as flat-config arrays), plus the project's own rule on process.env.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const ENV_MESSAGE =
  "Read configuration through the validated config module in lib/config/, not process.env: " +
  "it is checked once at start-up and keeps secrets out of client bundles.";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "lib/generated/**",
    "data/**",
    "coverage/**",
    "test-results/**",
    "playwright-report/**",
    "tests/.auth/**",
  ]),
  {
    // The product's rule: only the validated config module reads process.env. Tooling that
    // runs outside the app (scripts, the sandbox, benchmarks, tests, Prisma's CLI config,
    // framework config files) is exempt, and so are Next's root hooks: the proxy (its own
    // bundle) and instrumentation.ts, which must test process.env.NEXT_RUNTIME before it may
    // import the Node-only config module at all.
    files: ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"],
    ignores: [
      "lib/config/**",
      "scripts/**",
      // The production server launcher runs before (and outside) the app, like the scripts.
      "server.mjs",
      "sandbox/**",
      // The test/demo OpenID provider is its own process, like the sandbox.
      "idp/**",
      "bench/**",
      "tests/**",
      "prisma/**",
      "**/*.config.*",
      "proxy.ts",
      "instrumentation.ts",
    ],
    rules: {
      // Catches `process.env.X`, `process.env[x]`, `process["env"]` and `const { env } = process`.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: ENV_MESSAGE }],
      // Catches `import { env } from "node:process"`, which the rule above cannot see.
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "process", importNames: ["env"], message: ENV_MESSAGE },
            { name: "node:process", importNames: ["env"], message: ENV_MESSAGE },
          ],
        },
      ],
    },
  },
]);
