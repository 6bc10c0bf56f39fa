import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshGlobals, KEPT, STATE, TIMERS } from "./fresh-globals";
import { PROJECT_ROOT, productSourceFiles } from "./source-files";

/** Every `__name` declared on globalThis in product code (`globalThis as unknown as { __name?: … }`). */
function productGlobals(): string[] {
  const names = new Set<string>();
  for (const file of ["lib", "app", "components", "scripts"].flatMap((d) => productSourceFiles(join(PROJECT_ROOT, d), /\.(tsx?|mjs)$/))) {
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/globalThis as unknown as\s*\{/g)) {
      const declaration = src.slice(m.index, src.indexOf(";\n", m.index));
      for (const n of declaration.matchAll(/\b(__\w+)\?:/g)) names.add(n[1]!);
    }
  }
  return [...names].sort();
}

describe("fresh globals for the shared vitest project", () => {
  it("lists every global the product declares, to clear or to keep", () => {
    const found = productGlobals();
    // The scan itself finds them: one of each kind, or a change in how they are written went unseen.
    expect(found).toEqual(expect.arrayContaining(["__usageSchedule", "__consoleHealth", "__liveCatalogue", "__consoleDb"]));
    const listed = new Set<string>([...TIMERS, ...STATE, ...KEPT]);
    expect(found.filter((name) => !listed.has(name))).toEqual([]);
    // And nothing listed that the product no longer has.
    expect([...listed].filter((name) => !found.includes(name))).toEqual([]);
  });

  it("stops a timer a file left running and forgets caches, but keeps the default client", () => {
    const g = globalThis as unknown as Record<string, unknown>;
    let fired = false;
    g.__usageSchedule = setTimeout(() => {
      fired = true;
    }, 5);
    g.__liveCatalogue = { byRegion: new Map() };
    g.__consoleLifecycle = { draining: true, leases: new Map([["usage-sync", "other"]]) };
    const client = { stand: "in" };
    const before = g.__consoleDb;
    g.__consoleDb = client;
    try {
      freshGlobals();
      expect(g.__usageSchedule).toBeUndefined();
      expect(g.__liveCatalogue).toBeUndefined();
      expect(g.__consoleLifecycle).toBeUndefined();
      expect(g.__consoleDb).toBe(client);
    } finally {
      g.__consoleDb = before;
      if (before === undefined) delete g.__consoleDb;
    }
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(fired).toBe(false);
        resolve();
      }, 30),
    );
  });
});
