import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, localeFromAcceptLanguage } from "./locales";

const dir = path.resolve(import.meta.dirname, "messages");

function keys(obj: unknown, prefix = ""): string[] {
  if (typeof obj !== "object" || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)/g)].map((m) => m[1]!).sort();
}

const catalogs = Object.fromEntries(LOCALES.map((l) => [l, JSON.parse(readFileSync(path.join(dir, `${l}.json`), "utf8"))]));

describe("message catalogs", () => {
  it("has exactly one catalog per supported locale", () => {
    expect(readdirSync(dir).filter((f) => f.endsWith(".json")).sort()).toEqual(LOCALES.map((l) => `${l}.json`).sort());
  });

  const all = new Set(LOCALES.flatMap((l) => keys(catalogs[l])));
  for (const locale of LOCALES) {
    it(`${locale} has every key another catalog has`, () => {
      const mine = new Set(keys(catalogs[locale]));
      expect([...all].filter((k) => !mine.has(k))).toEqual([]);
    });
  }

  it("uses the same placeholders in every language", () => {
    const get = (obj: unknown, key: string) => key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);
    const mismatched = [...all].filter((key) => {
      const en = get(catalogs.en, key);
      if (typeof en !== "string") return false;
      const base = placeholders(en);
      return LOCALES.some((l) => {
        const text = get(catalogs[l], key);
        return typeof text === "string" && JSON.stringify([...new Set(placeholders(text))]) !== JSON.stringify([...new Set(base)]);
      });
    });
    expect(mismatched).toEqual([]);
  });
});

describe("localeFromAcceptLanguage", () => {
  it("picks the best supported language", () => {
    expect(localeFromAcceptLanguage("ko-KR,ko;q=0.9,en;q=0.8")).toBe("ko");
    expect(localeFromAcceptLanguage("zh-TW,zh;q=0.9")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("fr-FR,ja;q=0.5")).toBe("ja");
    expect(localeFromAcceptLanguage(null)).toBe("en");
  });
});
