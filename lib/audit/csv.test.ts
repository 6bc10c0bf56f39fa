import { describe, expect, it } from "vitest";
import { csvRow } from "@/lib/csv/writer";
import { csvStream } from "./csv";

/** Decode keeping the BOM (Response.text() would strip it). */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

describe("csvStream", () => {
  it("streams a BOM and header, then every row, fetching in id-cursor batches of the given size", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, text: `row ${i + 1}` }));
    const calls: { afterId: number; take: number }[] = [];
    const stream = csvStream<{ id: number; text: string }>(
      ["id", "text"],
      (r) => csvRow([r.id, r.text]),
      async (afterId, take) => {
        calls.push({ afterId, take });
        return rows.filter((r) => r.id > afterId).slice(0, take);
      },
      3,
    );
    const text = await readAll(stream);
    expect(text.startsWith("\uFEFFid,text\r\n")).toBe(true);
    expect(text.trim().split("\r\n")).toHaveLength(8);
    expect(text).toContain("row 7\r\n");
    // 3 + 3 + 1: the short last batch ends the stream without another query.
    expect(calls).toEqual([
      { afterId: 0, take: 3 },
      { afterId: 3, take: 3 },
      { afterId: 6, take: 3 },
    ]);
  });

  it("reads lazily: nothing beyond the header is fetched until the consumer pulls", async () => {
    let fetched = 0;
    const stream = csvStream(["id"], (r: { id: number }) => csvRow([r.id]), async (afterId, take) => {
      fetched++;
      return Array.from({ length: take }, (_, i) => ({ id: afterId + i + 1 }));
    }, 100);
    const reader = stream.getReader();
    await reader.read(); // header
    await new Promise((r) => setTimeout(r, 10));
    const before = fetched;
    await reader.read(); // one batch
    expect(fetched).toBe(before + 1);
    expect(fetched).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it("errors the stream if a batch fails", async () => {
    let reported: unknown;
    const stream = csvStream(["id"], (r: { id: number }) => csvRow([r.id]), async () => {
      throw new Error("db down");
    }, 10, (e) => (reported = e));
    await expect(readAll(stream)).rejects.toThrow("db down");
    expect(reported).toBeInstanceOf(Error);
  });
});
