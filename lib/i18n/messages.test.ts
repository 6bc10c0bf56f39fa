import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, localeFromAcceptLanguage } from "./locales";

const dir = path.resolve(import.meta.dirname, "messages");

function keys(obj: unknown, prefix = ""): string[] {
  if (typeof obj !== "object" || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * Argument names of an ICU message, branches of select/plural included ("{failed, select, yes
 * {could not issue} other {issued}}" → failed). A small reader of ICU's grammar: branch texts are
 * words in the reader's language, not placeholders, so a regex over "{word" cannot tell them apart.
 */
function placeholders(text: string): string[] {
  const names: string[] = [];
  let i = 0;
  const message = (): void => {
    while (i < text.length && text[i] !== "}") {
      // ICU quotes only from an apostrophe before a brace ("'{'"); "console's" is plain text.
      if (text[i] === "'" && (text[i + 1] === "{" || text[i + 1] === "}")) i = text.indexOf("'", i + 1) + 1 || text.length;
      else if (text[i] === "{") argument();
      else i++;
    }
  };
  const argument = (): void => {
    i++; // {
    const head = /^\s*(\w+)\s*(?:,\s*(\w+)\s*)?/.exec(text.slice(i))!;
    names.push(head[1]!);
    i += head[0].length;
    if (text[i] === ",") {
      i++;
      if (head[2] === "select" || head[2] === "plural" || head[2] === "selectordinal") {
        // selector keys (other, =0, offset:1) each followed by a {message}
        while (i < text.length && text[i] !== "}") {
          if (text[i] === "{") {
            i++;
            message();
            i++; // }
          } else i++;
        }
      } else {
        while (i < text.length && text[i] !== "}") i++; // style (date, number skeletons)
      }
    }
    i++; // }
  };
  message();
  return names.sort();
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
