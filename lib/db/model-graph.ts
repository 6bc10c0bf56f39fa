import { readFileSync } from "node:fs";

/**
 * The models of prisma/schema.prisma as db:copy needs them: scalar fields, primary key,
 * autoincrement id, and which models each one points at (its foreign keys), read from the schema
 * itself so that a model added later is copied without anyone touching db:copy.
 */
export interface ModelInfo {
  name: string;
  /** Prisma client property: `usageEvent` for model UsageEvent. */
  delegate: string;
  scalars: string[];
  primaryKey: string[];
  autoincrement: boolean;
  dependsOn: string[];
}

const SCALARS = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Float", "Decimal", "Json", "Bytes"]);

export function parseModels(schema: string): ModelInfo[] {
  const blocks = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
  const names = new Set(blocks.map((b) => b[1]!));
  return blocks.map(([, name, body]) => {
    const info: ModelInfo = { name: name!, delegate: name![0]!.toLowerCase() + name!.slice(1), scalars: [], primaryKey: [], autoincrement: false, dependsOn: [] };
    for (const raw of body!.split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      const compositeId = /^@@id\(\[([^\]]+)\]/.exec(line);
      if (compositeId) info.primaryKey = compositeId[1]!.split(",").map((s) => s.trim());
      const field = /^(\w+)\s+(\w+)(\[\])?\??\s*(.*)$/.exec(line);
      if (!field || line.startsWith("@@")) continue;
      const [, fieldName, type, list, attributes] = field;
      if (SCALARS.has(type!)) {
        info.scalars.push(fieldName!);
        if (/@id\b/.test(attributes!)) info.primaryKey = [fieldName!];
        if (/@default\(autoincrement\(\)\)/.test(attributes!)) info.autoincrement = true;
      } else if (names.has(type!) && !list && /@relation\([^)]*fields:/.test(attributes!) && type !== name) {
        info.dependsOn.push(type!);
      }
    }
    return info;
  });
}

/** Models ordered so that every model comes after the models it points at. */
export function copyOrder(models: ModelInfo[]): ModelInfo[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const done = new Set<string>();
  const out: ModelInfo[] = [];
  const visit = (m: ModelInfo, path: string[]) => {
    if (done.has(m.name)) return;
    if (path.includes(m.name)) throw new Error(`foreign keys form a cycle: ${[...path, m.name].join(" → ")}`);
    for (const dep of m.dependsOn) visit(byName.get(dep)!, [...path, m.name]);
    done.add(m.name);
    out.push(m);
  };
  for (const m of models) visit(m, []);
  return out;
}

export function loadModels(schemaFile: string): ModelInfo[] {
  return copyOrder(parseModels(readFileSync(schemaFile, "utf8")));
}
