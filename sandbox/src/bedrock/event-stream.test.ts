import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeMessages, encodeEvent, encodeException, encodeMessage } from "./event-stream.js";

describe("AWS event-stream framing", () => {
  it("uses the standard CRC-32 (IEEE) the format specifies", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it("lays out prelude, headers, payload and CRCs byte by byte", () => {
    const msg = encodeMessage({ ":event-type": "chunk" }, Buffer.from("{}"));
    const header = Buffer.concat([Buffer.from([11]), Buffer.from(":event-type"), Buffer.from([7, 0, 5]), Buffer.from("chunk")]);
    expect(msg.length).toBe(12 + header.length + 2 + 4);
    expect(msg.readUInt32BE(0)).toBe(msg.length);
    expect(msg.readUInt32BE(4)).toBe(header.length);
    expect(msg.readUInt32BE(8)).toBe(crc32(msg.subarray(0, 8)));
    expect(msg.subarray(12, 12 + header.length)).toEqual(header);
    expect(msg.subarray(12 + header.length, msg.length - 4).toString()).toBe("{}");
    expect(msg.readUInt32BE(msg.length - 4)).toBe(crc32(msg.subarray(0, msg.length - 4)));
  });

  it("round-trips events and exceptions, several to a buffer", () => {
    const data = Buffer.concat([encodeEvent("messageStart", { role: "assistant" }), encodeException("throttlingException", "slow down")]);
    const [a, b] = decodeMessages(data);
    expect(a!.headers).toEqual({ ":event-type": "messageStart", ":content-type": "application/json", ":message-type": "event" });
    expect(JSON.parse(a!.payload.toString())).toEqual({ role: "assistant" });
    expect(b!.headers[":message-type"]).toBe("exception");
    expect(b!.headers[":exception-type"]).toBe("throttlingException");
    expect(JSON.parse(b!.payload.toString())).toEqual({ message: "slow down" });
  });

  it("keeps multi-byte UTF-8 intact and counts bytes, not characters", () => {
    const [m] = decodeMessages(encodeEvent("contentBlockDelta", { delta: { text: "こんにちは 👋" } }));
    expect(JSON.parse(m!.payload.toString("utf8")).delta.text).toBe("こんにちは 👋");
  });

  it("rejects corrupted or truncated data", () => {
    const msg = encodeEvent("chunk", { bytes: "e30=" });
    const flipped = Buffer.from(msg);
    flipped[20] = flipped[20]! ^ 0xff;
    expect(() => decodeMessages(flipped)).toThrow(/CRC/);
    const badPrelude = Buffer.from(msg);
    badPrelude[5] = badPrelude[5]! ^ 0x01;
    expect(() => decodeMessages(badPrelude)).toThrow(/prelude CRC/);
    expect(() => decodeMessages(msg.subarray(0, msg.length - 1))).toThrow(/length/);
  });
});
