import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BadFile, gunzipText, INFLATE_ON_LOOP_MAX_BYTES } from "./s3-trail";

// GetObject's body as the SDK hands it over, reduced to the one helper gunzipText uses.
const body = (bytes: Uint8Array | string) => ({ transformToByteArray: async () => (typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes) });

const log = JSON.stringify({ Records: Array.from({ length: 50 }, (_, i) => ({ eventID: `e${i}`, eventName: "Converse", note: "ü — 日本" })) });

// Both ways a body is inflated: on the event loop (small files) and on the thread pool (above
// INFLATE_ON_LOOP_MAX_BYTES; forced here with a limit of 0 so the test need not build a megabyte).
describe.each([
  ["on the event loop", INFLATE_ON_LOOP_MAX_BYTES],
  ["on the thread pool", 0],
])("gunzipText %s", (_, onLoopMax) => {
  it("returns the file's text, UTF-8 intact", async () => {
    expect(await gunzipText(body(gzipSync(log)), 1 << 20, onLoopMax)).toBe(log);
  });

  it("reads a multi-member gzip (concatenated files) whole", async () => {
    const twice = Buffer.concat([gzipSync("{\"Records\":"), gzipSync("[]}")]);
    expect(await gunzipText(body(twice), 1 << 20, onLoopMax)).toBe('{"Records":[]}');
  });

  it("refuses a body cut short, a body that is not gzip, an empty body, and a corrupted one, each as a bad file with its reason", async () => {
    const gz = gzipSync(log);
    await expect(gunzipText(body(gz.subarray(0, gz.length >> 1)), 1 << 20, onLoopMax)).rejects.toThrow(new BadFile("truncated gzip"));
    await expect(gunzipText(body("this is not gzip"), 1 << 20, onLoopMax)).rejects.toThrow(new BadFile("not gzip"));
    await expect(gunzipText(body(new Uint8Array(0)), 1 << 20, onLoopMax)).rejects.toThrow(new BadFile("truncated gzip"));
    // One byte of the CRC-32 trailer changed: zlib's own check refuses it.
    const corrupt = Buffer.from(gz);
    corrupt[corrupt.length - 6]! ^= 0xff;
    await expect(gunzipText(body(corrupt), 1 << 20, onLoopMax)).rejects.toBeInstanceOf(BadFile);
  });

  it("stops at the output limit (a gzip bomb) instead of inflating it", async () => {
    const bomb = gzipSync(Buffer.alloc(8 << 20, 0x20)); // 8 MB of spaces in ~8 KB
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(gunzipText(body(bomb), 1 << 20, onLoopMax)).rejects.toThrow(new BadFile(`more than ${1 << 20} bytes once gunzipped`));
    expect(await gunzipText(body(bomb), 8 << 20, onLoopMax)).toHaveLength(8 << 20);
  });
});
