import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./writer";

describe("csvCell", () => {
  it("leaves plain values alone and renders empties and dates", () => {
    expect(csvCell("users.create")).toBe("users.create");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02T03:04:05.000Z");
  });

  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line1\nline2")).toBe('"line1\nline2"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell('{"role":{"from":"lead","to":"admin"}}')).toBe('"{""role"":{""from"":""lead"",""to"":""admin""}}"');
  });

  // Excel set to ";" (ja, de, fr …) would split these into a second cell that starts a formula.
  it.each(["x;=cmd|' /C calc'!A0", "a;b", "tab\there"])("quotes %j, which a ;- or tab-separated reader would split", (value) => {
    expect(csvCell(value)).toBe(`"${value.replace(/"/g, '""')}"`);
  });

  it.each(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\r=x", "=cmd|' /C calc'!A0"])(
    "neutralises the formula %j with a leading quote and quotes the cell",
    (value) => {
      expect(csvCell(value)).toBe(`"'${value.replace(/"/g, '""')}"`);
    },
  );

  it("neutralises and quotes a formula that also contains quotes and commas", () => {
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe('"\'=HYPERLINK(""http://evil.test"",""x"")"');
  });

  it("does not touch formula characters that are not at the start", () => {
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("name@example.test")).toBe("name@example.test");
  });
});

describe("csvRow", () => {
  it("joins cells with commas and ends with CRLF", () => {
    expect(csvRow(["a", null, 'b"c', 3, "x;y"])).toBe('a,,"b""c",3,"x;y"\r\n');
  });
});
