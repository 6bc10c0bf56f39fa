/**
 * The AWS event-stream binary framing (`application/vnd.amazon.eventstream`) used by
 * ConverseStream and InvokeModelWithResponseStream. Each message is:
 *
 *   total length (u32 BE) | headers length (u32 BE) | prelude CRC32 (u32 BE)
 *   headers | payload | message CRC32 (u32 BE, over everything before it)
 *
 * and each header is: name length (u8) | name | value type (u8) | value. Only string values
 * (type 7: u16 BE length + UTF-8) are needed for `:event-type`, `:content-type`,
 * `:message-type` and the exception headers.
 */
import { crc32 } from "node:zlib";

const STRING_TYPE = 7;

export type EventHeaders = Record<string, string>;

export function encodeMessage(headers: EventHeaders, payload: Uint8Array): Buffer {
  const headerParts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, "utf8");
    const v = Buffer.from(value, "utf8");
    if (n.length > 255) throw new Error(`event-stream header name too long: ${name}`);
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(STRING_TYPE, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    headerParts.push(h);
  }
  const headerBytes = Buffer.concat(headerParts);
  const total = 12 + headerBytes.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBytes.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBytes.copy(out, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(out, 12 + headerBytes.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** A modelled event (`:message-type: event`) carrying a JSON payload. */
export function encodeEvent(eventType: string, body: unknown): Buffer {
  return encodeMessage(
    { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" },
    Buffer.from(JSON.stringify(body), "utf8"),
  );
}

/** A modelled exception inside the stream (e.g. a throttling error after the 200 was sent). */
export function encodeException(exceptionType: string, message: string): Buffer {
  return encodeMessage(
    { ":exception-type": exceptionType, ":content-type": "application/json", ":message-type": "exception" },
    Buffer.from(JSON.stringify({ message }), "utf8"),
  );
}

export interface DecodedMessage {
  headers: EventHeaders;
  payload: Buffer;
}

/**
 * Decodes a buffer of concatenated messages, checking both CRCs. Used by tests and the traffic
 * generator to read streams without the SDK.
 */
export function decodeMessages(data: Buffer): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < 16) throw new Error("truncated event-stream message");
    const total = data.readUInt32BE(offset);
    const headersLength = data.readUInt32BE(offset + 4);
    if (total < 16 || offset + total > data.length) throw new Error("bad event-stream message length");
    if (data.readUInt32BE(offset + 8) !== crc32(data.subarray(offset, offset + 8))) throw new Error("prelude CRC mismatch");
    if (data.readUInt32BE(offset + total - 4) !== crc32(data.subarray(offset, offset + total - 4))) {
      throw new Error("message CRC mismatch");
    }
    const headers: EventHeaders = {};
    let p = offset + 12;
    const headersEnd = p + headersLength;
    while (p < headersEnd) {
      const nameLength = data.readUInt8(p);
      const name = data.toString("utf8", p + 1, p + 1 + nameLength);
      const type = data.readUInt8(p + 1 + nameLength);
      if (type !== STRING_TYPE) throw new Error(`unsupported header type ${type}`);
      const valueLength = data.readUInt16BE(p + 2 + nameLength);
      headers[name] = data.toString("utf8", p + 4 + nameLength, p + 4 + nameLength + valueLength);
      p += 4 + nameLength + valueLength;
    }
    out.push({ headers, payload: data.subarray(headersEnd, offset + total - 4) });
    offset += total;
  }
  return out;
}
