/**
 * The part of CloudWatch Logs' filter-pattern syntax the sandbox understands:
 * - empty: every event;
 * - JSON patterns `{ $.a.b = "x" }`, `{ $.n >= 5 }`, conditions joined by `&&` or by `||` (not
 *   mixed), string values with `*` wildcards, `=`/`!=` on strings, comparisons on numbers;
 * - plain terms: `ERROR`, `"exact phrase"`, several terms all required (case-sensitive).
 * Anything else is refused with InvalidParameterException rather than matched wrongly.
 */
export type Matcher = (message: string) => boolean;

export class FilterPatternError extends Error {}

interface Condition {
  path: string[];
  op: "=" | "!=" | ">" | "<" | ">=" | "<=";
  value: string | number;
}

const COND = /^\s*\$((?:\.[A-Za-z0-9_@-]+)+)\s*(=|!=|>=|<=|>|<)\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[A-Za-z0-9_.*:/-]+)\s*$/;

function parseCondition(text: string): Condition {
  const m = COND.exec(text);
  if (!m) throw new FilterPatternError("Invalid filter pattern");
  const raw = m[3]!;
  const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : /^-?\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : raw;
  const op = m[2] as Condition["op"];
  if (typeof value === "string" && op !== "=" && op !== "!=") throw new FilterPatternError("Invalid filter pattern");
  return { path: m[1]!.slice(1).split("."), op, value };
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

function test(c: Condition, doc: unknown): boolean {
  let v: unknown = doc;
  for (const k of c.path) {
    if (!v || typeof v !== "object" || Array.isArray(v)) return false;
    v = (v as Record<string, unknown>)[k];
  }
  if (v === undefined) return false;
  if (typeof c.value === "number") {
    if (typeof v !== "number") return false;
    switch (c.op) {
      case "=": return v === c.value;
      case "!=": return v !== c.value;
      case ">": return v > c.value;
      case "<": return v < c.value;
      case ">=": return v >= c.value;
      case "<=": return v <= c.value;
    }
  }
  const s = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;
  if (s === null) return false;
  const hit = wildcard(c.value).test(s);
  return c.op === "=" ? hit : !hit;
}

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? "").trim();
  if (p === "") return () => true;
  if (p.startsWith("{")) {
    if (!p.endsWith("}")) throw new FilterPatternError("Invalid filter pattern");
    const body = p.slice(1, -1);
    if (body.includes("(") || (body.includes("&&") && body.includes("||"))) throw new FilterPatternError("Invalid filter pattern");
    const any = body.includes("||");
    const conditions = body.split(any ? "||" : "&&").map(parseCondition);
    return (message) => {
      let doc: unknown;
      try {
        doc = JSON.parse(message);
      } catch {
        return false;
      }
      return any ? conditions.some((c) => test(c, doc)) : conditions.every((c) => test(c, doc));
    };
  }
  // Terms: quoted phrases or bare words; no ?, -, [ ] or regex syntax (unsupported here).
  const terms: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    if (m[1] !== undefined) terms.push(JSON.parse(`"${m[1]}"`) as string);
    else if (/^[A-Za-z0-9_.:/@=-]+$/.test(m[2]!) && !m[2]!.startsWith("-")) terms.push(m[2]!);
    else throw new FilterPatternError("Invalid filter pattern");
  }
  return (message) => terms.every((t) => message.includes(t));
}
