import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_MESSAGES, pickMessages } from "./client-messages";
import { LOCALES } from "./locales";

/**
 * The browser gets only the message namespaces its client components use (lib/i18n/client-messages.ts).
 * A key missing there shows as a raw key in the UI, so this proves, statically, that every
 * client component finds every namespace it uses: for each app file (page, layout, loading,
 * error, not-found) it follows the imports, switches to "client" at a "use client" module (all
 * it imports runs in the browser too), collects the useTranslations() namespaces (and, for an
 * unscoped useTranslations(), the keys passed to it) and checks them against the namespaces of
 * the nearest <ClientMessages scope="…"> — the one in the file's own layout or an ancestor's,
 * since a nested provider replaces its parent's messages rather than adding to them.
 */
const root = path.resolve(import.meta.dirname, "../..");
const rel = (f: string) => path.relative(root, f).split(path.sep).join("/");

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null; // a package: its own strings, not ours
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

const sources = new Map<string, string>();
const read = (f: string) => sources.get(f) ?? sources.set(f, readFileSync(f, "utf8")).get(f)!;
const directive = (f: string, name: string) => new RegExp(`^(?:\\s*(?://[^\\n]*\\n|/\\*[\\s\\S]*?\\*/))*\\s*["']use ${name}["']`).test(read(f));
const importsOf = (f: string) =>
  [...read(f).matchAll(/(?:import|export)\s(?:type\s)?[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)]
    .filter((m) => !/^(?:import|export)\s+type\s/.test(m[0]))
    .map((m) => resolveImport(f, (m[1] ?? m[2])!))
    .filter((f): f is string => f !== null && /\.tsx?$/.test(f));

/**
 * Message paths a module's client code reads. Per translator variable (`const t =
 * useTranslations("ns")`): the keys of its calls (`t("a.b")` → "ns.a.b", `t(\`status.${s}\`)` →
 * "ns.status") when every use of the variable in the file is such a call, else the whole
 * namespace (it is passed on, or called with an expression). An unscoped useTranslations() must
 * be called with literal keys.
 */
function usedPaths(f: string): string[] {
  const src = read(f);
  const out: string[] = [];
  const bindings = new Map<string, Set<string>>();
  for (const m of src.matchAll(/useTranslations\(([^)]*)\)/g)) {
    const arg = m[1]!.trim();
    const literal = /^["']([\w.-]+)["']$/.exec(arg);
    if (arg !== "" && !literal) throw new Error(`${rel(f)}: useTranslations(${arg}) — only a literal namespace can be checked`);
    const ns = literal ? literal[1]! : "";
    const name = /(\w+)\s*=\s*$/.exec(src.slice(Math.max(0, m.index - 80), m.index))?.[1];
    if (!name) {
      if (!ns) throw new Error(`${rel(f)}: an unscoped useTranslations() not assigned to a variable cannot be checked`);
      out.push(ns);
      continue;
    }
    (bindings.get(name) ?? bindings.set(name, new Set()).get(name)!).add(ns);
  }
  for (const [name, namespaces] of bindings) {
    const keys: string[] = [];
    let whole = namespaces.size > 1; // one name bound to two namespaces in one file: calls cannot be told apart
    for (const use of src.matchAll(new RegExp(`(?<![\\w.$])${name}\\b(?!\\s*=[^=>])`, "g"))) {
      const rest = src.slice(use.index + name.length);
      const call = /^(?:\.(?:rich|markup|raw|has))?\(\s*(?:"([^"]+)"|'([^']+)'|`([^`$]*)(?:`|\$\{))/.exec(rest);
      if (call) {
        const key = (call[1] ?? call[2] ?? call[3]!).replace(/\.$/, "");
        if (key) keys.push(key);
        else whole = true;
      } else if (/^\s*=\s*useTranslations\(/.test(rest)) continue;
      // In a hook's dependency list (`useMemo(…, [t, now])`): not a use of its messages.
      else if (/\[[\w\s,.]*$/.test(src.slice(0, use.index)) && /^[\w\s,.]*\]\s*,?\s*\)/.test(rest)) continue;
      else whole = true;
    }
    for (const ns of namespaces) {
      if (!ns) {
        if (whole) throw new Error(`${rel(f)}: ${name} from an unscoped useTranslations() is used other than as t("literal key")`);
        out.push(...keys);
      } else out.push(...(whole ? [ns] : keys.map((k) => `${ns}.${k}`)));
    }
  }
  return out;
}

/** The client modules reachable from an app file, and the message paths they read. */
function clientNeeds(entry: string): Map<string, Set<string>> {
  const needs = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const visit = (f: string, client: boolean) => {
    const isClient = client || directive(f, "client");
    const id = `${isClient}:${f}`;
    if (seen.has(id)) return;
    seen.add(id);
    // A server action runs on the server, whoever imports it.
    if (directive(f, "server")) return;
    if (isClient) for (const p of usedPaths(f)) (needs.get(p) ?? needs.set(p, new Set()).get(p)!).add(rel(f));
    for (const i of importsOf(f)) visit(i, isClient);
  };
  visit(entry, false);
  return needs;
}

function appFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) appFiles(p, out);
    else if (/^(page|layout|loading|error|not-found|template|default)\.tsx$/.test(name)) out.push(p);
  }
  return out;
}

const scopeOf = (layout: string): string | null => /<ClientMessages\s+scope="([^"]*)"/.exec(read(layout))?.[1] ?? null;

/** The provider around an app file: its directory's layout's, or the nearest ancestor's. */
function providerOf(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const layout = path.join(dir, "layout.tsx");
    if (existsSync(layout) && scopeOf(layout) !== null) return scopeOf(layout)!;
    if (dir === path.join(root, "app")) throw new Error(`${rel(file)}: no <ClientMessages> around it`);
  }
}

const covered = (need: string, picked: readonly string[]) => picked.some((p) => need === p || need.startsWith(`${p}.`));

function at(messages: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), messages);
}

/** What each provider must give: the paths its client components read, shortest covering set, sorted. */
function expected(files: string[]) {
  const byScope = new Map<string, Map<string, Set<string>>>();
  for (const f of files) {
    const all = byScope.get(providerOf(f)) ?? byScope.set(providerOf(f), new Map()).get(providerOf(f))!;
    for (const [p, users] of clientNeeds(f)) for (const u of users) (all.get(p) ?? all.set(p, new Set()).get(p)!).add(u);
  }
  const lists: Record<string, string[]> = {};
  for (const [scope, needs] of [...byScope].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const paths = [...needs.keys()];
    lists[scope] = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}.`))).sort();
  }
  return { lists, byScope };
}

describe("client messages", () => {
  const files = appFiles(path.join(root, "app"));
  const { lists, byScope } = expected(files);
  // `UPDATE_CLIENT_MESSAGES=1 npx vitest run lib/i18n/client-messages.test.ts` rewrites the lists after a client component changes.
  // eslint-disable-next-line no-restricted-properties -- a developer's switch for this test, not the app's configuration
  if (process.env.UPDATE_CLIENT_MESSAGES) writeFileSync(path.join(root, "lib/i18n/client-messages.json"), `${JSON.stringify(lists, null, 2)}\n`);

  it("every message path a client component uses is given to the provider around it", () => {
    const missing: string[] = [];
    for (const [scope, needs] of byScope) {
      const picked: readonly string[] = CLIENT_MESSAGES[scope] ?? [];
      for (const [p, users] of needs) if (!covered(p, picked)) missing.push(`${scope || "(root)"}: "${p}" (${[...users].join(", ")})`);
    }
    expect(missing, "run UPDATE_CLIENT_MESSAGES=1 npx vitest run lib/i18n/client-messages.test.ts").toEqual([]);
  });

  it("gives each provider exactly that, no more (the payload stays as small as the page)", () => {
    expect(CLIENT_MESSAGES, "run UPDATE_CLIENT_MESSAGES=1 npx vitest run lib/i18n/client-messages.test.ts").toEqual(lists);
  });

  it("each provider's scope is its layout's directory, and every picked path exists in every catalog", () => {
    for (const layout of files.filter((f) => f.endsWith("layout.tsx"))) {
      const scope = scopeOf(layout);
      if (scope !== null) expect(scope, rel(layout)).toBe(rel(path.dirname(layout)).replace(/^app\/?/, ""));
    }
    for (const locale of LOCALES) {
      const messages = JSON.parse(readFileSync(path.join(root, "lib/i18n/messages", `${locale}.json`), "utf8")) as Record<string, unknown>;
      for (const [scope, picked] of Object.entries(CLIENT_MESSAGES)) {
        for (const p of picked) expect(at(messages, p), `${locale} ${scope} ${p}`).toBeDefined();
      }
    }
  });

  it("the checker sees what it must: scoped and unscoped keys, a translator passed on, server code not counted", () => {
    const usage = clientNeeds(path.join(root, "app/(console)/usage/page.tsx"));
    expect(usage.get("usage.filters.range")).toContain("components/usage/usage-filters.tsx");
    expect(usage.get("usage.charts.top.title")).toContain("components/usage/top-subjects-chart.tsx");
    const shell = clientNeeds(path.join(root, "app/(console)/layout.tsx"));
    expect(shell.get("nav.openMenu")).toContain("components/shell/mobile-nav.tsx");
    expect(shell.has("common.skipToContent")).toBe(false); // rendered by the layout itself, on the server
    expect(clientNeeds(path.join(root, "app/error.tsx")).get("errors.retry")).toContain("app/error.tsx");
  });
});

describe("pickMessages", () => {
  const messages = { a: { x: "1", y: { z: "2", w: "3" } }, b: { q: "4" }, c: "5" };

  it("keeps the picked namespaces and nested paths whole, and nothing else", () => {
    expect(pickMessages(messages, ["b", "a.y.z"])).toEqual({ b: { q: "4" }, a: { y: { z: "2" } } });
    expect(pickMessages(messages, ["a.y", "a.x"])).toEqual({ a: { y: { z: "2", w: "3" }, x: "1" } });
    expect(pickMessages(messages, ["c"])).toEqual({ c: "5" });
  });

  it("leaves out a path the catalog does not have (the test above proves every catalog has them)", () => {
    expect(pickMessages(messages, ["nope", "a.nope"])).toEqual({});
  });

  it("does not change the catalog it picks from", () => {
    const before = JSON.stringify(messages);
    pickMessages(messages, ["a.y.z", "a"]);
    expect(JSON.stringify(messages)).toBe(before);
  });
});
