/**
 * Compact storage for CloudTrail record text.
 *
 * A million records as JS strings cost ~1 KB each, and most of every record is the same text
 * (keys, account id, event source, user agent, ...). JSON text is split at its double quotes —
 * a split that `join('"')` reverses exactly, escapes included — and each piece is written as a
 * varint code into a shared dictionary, or, for pieces that look unique (timestamps, long text),
 * inline as UTF-8; lower-case UUIDs (event and request ids) inline as their 16 bytes. The bytes live in large shared slabs, so an event costs a
 * reference and a length instead of a string object. Decoding happens only for the ≤ 50 events
 * of a LookupEvents page and for matches of an EventId lookup.
 */
const SLAB_SIZE = 16 * 1024 * 1024;
const MAX_DICTIONARY = 1 << 20;
const MAX_INTERNED_LENGTH = 128;
const UNIQUE_LOOKING = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d\d-\d\dT.*)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Piece tags (varint): odd = dictionary code * 2 + 1; multiple of 4 = UTF-8 literal of length v / 4;
// 2 = a lower-case UUID as 16 raw bytes.
const TAG_UUID = 2;

export class JsonCodec {
  private readonly codes = new Map<string, number>();
  private readonly pieces: string[] = [];
  private readonly slabs: Buffer[] = [];
  private slab: Buffer | undefined;
  private slabUsed = 0;
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private bytes = 0;

  /** Stores the text; returns where (ref) and how many bytes (len). */
  encode(json: string): { ref: number; len: number } {
    let n = 0;
    for (const piece of json.split('"')) {
      let code = this.codes.get(piece);
      if (code === undefined && this.pieces.length < MAX_DICTIONARY && piece.length <= MAX_INTERNED_LENGTH && !UNIQUE_LOOKING.test(piece)) {
        code = this.pieces.length;
        this.pieces.push(piece);
        this.codes.set(piece, code);
      }
      if (code !== undefined) {
        n = this.varint(n, code * 2 + 1);
      } else if (piece.length === 36 && UUID.test(piece)) {
        n = this.varint(n, TAG_UUID);
        this.ensure(n + 16);
        n += this.scratch.write(piece.replace(/-/g, ""), n, "hex");
      } else {
        const len = Buffer.byteLength(piece, "utf8");
        n = this.varint(n, len * 4);
        this.ensure(n + len);
        n += this.scratch.write(piece, n, "utf8");
      }
    }
    return this.store(n);
  }

  decode(ref: number, len: number): string {
    const slab = this.slabs[Math.floor(ref / SLAB_SIZE)]!;
    let pos = ref % SLAB_SIZE;
    const end = pos + len;
    const out: string[] = [];
    while (pos < end) {
      let v = 0, shift = 0, b: number;
      do {
        b = slab[pos++]!;
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      if (v % 2 === 1) out.push(this.pieces[(v - 1) / 2]!);
      else if (v === TAG_UUID) {
        const h = slab.toString("hex", pos, pos + 16);
        out.push(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
        pos += 16;
      } else {
        const l = v / 4;
        out.push(slab.toString("utf8", pos, pos + l));
        pos += l;
      }
    }
    return out.join('"');
  }

  stats(): { dictionaryEntries: number; storedBytes: number; slabs: number } {
    return { dictionaryEntries: this.pieces.length, storedBytes: this.bytes, slabs: this.slabs.length };
  }

  private ensure(size: number): void {
    if (size <= this.scratch.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(size, this.scratch.length * 2));
    this.scratch.copy(bigger);
    this.scratch = bigger;
  }

  private varint(n: number, v: number): number {
    this.ensure(n + 10);
    while (v >= 0x80) {
      this.scratch[n++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.scratch[n++] = v;
    return n;
  }

  private store(n: number): { ref: number; len: number } {
    if (n > SLAB_SIZE) throw new Error("CloudTrail record too large to store");
    if (!this.slab || this.slabUsed + n > SLAB_SIZE) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
      this.slabs.push(this.slab);
      this.slabUsed = 0;
    }
    this.scratch.copy(this.slab, this.slabUsed, 0, n);
    const ref = (this.slabs.length - 1) * SLAB_SIZE + this.slabUsed;
    this.slabUsed += n;
    this.bytes += n;
    return { ref, len: n };
  }
}

/** 32-bit FNV-1a, to find EventId candidates without decoding every record. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Signed 32-bit: stays a small integer in V8 instead of a boxed heap number.
  return h | 0;
}
