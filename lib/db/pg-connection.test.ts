import { describe, expect, it } from "vitest";
import { copyText } from "./pg-connection";

describe("copyText (COPY … FROM STDIN, text format)", () => {
  it("separates columns by tabs and rows by newlines, writes NULL as \\N and numbers as they print", () => {
    expect(copyText([[1, "a"], [2n, null], [3, ""]])).toBe("1\ta\n2\t\\N\n3\t\n");
  });

  it("escapes the backslash, tab, newline and carriage return in a value, and nothing else", () => {
    expect(copyText([[1, 'x\\y\tz\nw\rv "q" é 😀']])).toBe('1\tx\\\\y\\tz\\nw\\rv "q" é 😀\n');
    // A value that reads as COPY's NULL or end of data is data.
    expect(copyText([[1, "\\N"], [2, "\\."]])).toBe("1\t\\\\N\n2\t\\\\.\n");
  });

  it("copies a JSON record without a backslash as it is", () => {
    const record = JSON.stringify({ eventID: "e-1", userAgent: "aws-sdk-js/3", requestParameters: { modelId: "m" } });
    expect(copyText([[7, record]])).toBe(`7\t${record}\n`);
  });
});
