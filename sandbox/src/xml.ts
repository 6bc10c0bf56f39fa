import { isoSeconds } from "./clock.js";

/** Values the Query-protocol serializer understands; arrays become `<member>` lists as in IAM/STS. */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | XmlValue[]
  | { [key: string]: XmlValue };

export const IAM_XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/";
export const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;",
  );
}

function scalar(v: string | number | boolean | Date): string {
  if (v instanceof Date) return isoSeconds(v);
  return escapeXml(String(v));
}

export function renderXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) {
    return `<${name}>${value.map((m) => renderXml("member", m)).join("")}</${name}>`;
  }
  if (typeof value === "object" && !(value instanceof Date)) {
    let inner = "";
    for (const [k, v] of Object.entries(value)) inner += renderXml(k, v);
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${scalar(value)}</${name}>`;
}

/** `<XResponse><XResult>…</XResult><ResponseMetadata>…` (no Result element when there is no output). */
export function queryResponse(
  action: string,
  xmlns: string,
  result: Record<string, XmlValue> | null,
  requestId: string,
): string {
  const body = result ? renderXml(`${action}Result`, result) : "";
  return (
    `<${action}Response xmlns="${xmlns}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`
  );
}

export function queryError(
  xmlns: string,
  type: "Sender" | "Receiver",
  code: string,
  message: string,
  requestId: string,
): string {
  return (
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`
  );
}
