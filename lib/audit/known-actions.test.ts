import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import { PROJECT_ROOT, productSourceFiles } from "@/lib/testing/source-files";
import { actionMessageKey, KNOWN_AUDIT_ACTIONS } from "./sentences";

// Every audit action the code can write must have a sentence and a place in the audit page's
// filter, or its entries show with the generic fallback and cannot be filtered. New features kept
// forgetting this, so the source is scanned for every way an action name is written.

const SCANNED = ["lib", "scripts", "app"];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Action names written in one file, each with how it was found. */
export function actionNamesIn(src: string): { name: string; via: string }[] {
  const found: { name: string; via: string }[] = [];
  const add = (name: string, via: string) => found.push({ name, via });
  // 1. defineAction({ name: "…" }): the action chain audits under this name.
  for (const m of src.matchAll(/defineAction(?:<[^>]*>)?\(\{\s*name:\s*"([^"]+)"/g)) add(m[1]!, "defineAction");
  // 2. { action: "…" } in appendAudit calls and item writers (log lines carry an action too: skipped).
  for (const line of src.split("\n")) {
    if (/\blog\(\)/.test(line)) continue;
    for (const m of line.matchAll(/\baction:\s*"([^"]+)"/g)) add(m[1]!, "action:");
  }
  // 3. Helpers taking the action as a parameter (`step(name, action: string, …)`,
  //    `auditOwnSession(user, action: string, …)`): the literal passed in that position.
  for (const m of src.matchAll(/(?:function\s+(\w+)\s*(?:<[^>]*>)?\(|(?:const|let)\s+(\w+)\s*=\s*(?:async\s*)?\()([^()]*?)\baction:\s*string/g)) {
    const fn = m[1] ?? m[2]!;
    const position = (m[3]!.match(/,/g) ?? []).length;
    const call = new RegExp(`\\b${escape(fn)}\\(\\s*(?:[^,()]+,\\s*){${position}}"([^"]+)"`, "g");
    for (const c of src.matchAll(call)) add(c[1]!, `${fn}()`);
  }
  // 4. Tables mapping an operation to the action its entries are written under (KEY_AUDIT_ACTION).
  for (const m of src.matchAll(/\b\w*AUDIT_ACTIONS?\b[^=\n]*=\s*\{([^}]*)\}/g)) {
    for (const v of m[1]!.matchAll(/:\s*"([^"]+)"/g)) add(v[1]!, "table");
  }
  return found;
}

function scan() {
  const names = new Map<string, string[]>();
  for (const dir of SCANNED) {
    for (const file of productSourceFiles(join(PROJECT_ROOT, dir))) {
      for (const { name, via } of actionNamesIn(readFileSync(file, "utf8"))) {
        names.set(name, [...(names.get(name) ?? []), `${relative(PROJECT_ROOT, file)} (${via})`]);
      }
    }
  }
  return names;
}

describe("every audit action the code writes is known to the audit page", () => {
  const written = scan();

  it("finds action names by every route they are written", () => {
    // One from each route, so a scanner that silently stops matching fails here rather than passing.
    for (const [name, via] of [
      ["keys.issue", "defineAction"],
      ["prices.override", "defineAction"],
      ["posture.remediate", "action:"],
      ["demo.seed", "action:"],
      ["keys.change_owner", "step()"],
      ["auth.sign_out", "auditOwnSession()"],
      ["keys.change_team", "table"],
    ] as const) {
      expect(written.get(name)?.some((where) => where.endsWith(`(${via})`)), `${name} via ${via}`).toBe(true);
    }
    expect(written.size).toBeGreaterThan(80);
  });

  it("has a sentence and a filter entry for each of them", () => {
    const missing = [...written.keys()].filter((name) => !KNOWN_AUDIT_ACTIONS.has(name)).map((name) => `${name} ← ${written.get(name)!.join(", ")}`);
    expect(missing, "add these to AUDIT_ACTION_GROUPS and auditSentences in every catalog").toEqual([]);
  });

  it("names every known action in the catalog", () => {
    const { actionNames, actions } = en.auditSentences as { actionNames: Record<string, string>; actions: Record<string, string> };
    for (const name of KNOWN_AUDIT_ACTIONS) {
      expect(actionNames[actionMessageKey(name)], name).toBeTruthy();
      expect(actions[actionMessageKey(name)], name).toBeTruthy();
    }
  });

  it("understands the shapes it scans for", () => {
    const src = [
      'export const a = defineAction({\n  name: "x.one",',
      'await appendAudit(db, { action: "x.two", result });',
      'log().error({ action: "x.logged" }, "failed");',
      'const step = async (name: Step, action: string, run: () => void) => {};',
      'await step("handOver", "x.three", () => {});',
      'const X_AUDIT_ACTION: Record<Op, string> = {\n  a: "x.four",\n  b: "x.five",\n};',
    ].join("\n");
    expect(actionNamesIn(src).map((f) => f.name).sort()).toEqual(["x.five", "x.four", "x.one", "x.three", "x.two"]);
  });
});
