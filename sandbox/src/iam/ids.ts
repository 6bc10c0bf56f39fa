import { createHash, randomBytes, randomUUID } from "node:crypto";

/** IAM unique ids and access key ids use upper-case letters and the digits 2–7. */
const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** Unique ids: AIDA (user), AROA (role), ANPA (policy), ACCA (service credential); 21 chars. */
export function uniqueId(prefix: "AIDA" | "AROA" | "ANPA" | "ACCA"): string {
  return prefix + randomFrom(ID_ALPHABET, 17);
}

/** Access key ids are 20 chars: AKIA for long-term keys, ASIA for temporary credentials. */
export function accessKeyId(prefix: "AKIA" | "ASIA"): string {
  return prefix + randomFrom(ID_ALPHABET, 16);
}

export function secretAccessKey(): string {
  return randomFrom(SECRET_ALPHABET, 40);
}

/** Opaque session token; real ones are long base64 blobs starting with the same bytes. */
export function sessionToken(): string {
  return "IQoJb3JpZ2luX2VjE" + randomBytes(300).toString("base64");
}

export function requestId(): string {
  return randomUUID();
}

export function sha256Hex(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

export function randomSecret(length: number): string {
  return randomFrom(SECRET_ALPHABET, length);
}
