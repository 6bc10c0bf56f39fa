import nodemailer from "nodemailer";
import type { SmtpTarget } from "./settings";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Send one message over SMTP with nodemailer. TLS modes: "tls" connects with TLS from the start
 * (port 465), "starttls" requires the upgrade (port 587: a server that does not offer it is
 * refused rather than sent to in clear), "none" is plain SMTP (a relay on the local network).
 */
export async function sendMail(target: SmtpTarget, message: MailMessage, opts: { timeoutMs: number }): Promise<{ messageId: string }> {
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.tlsMode === "tls",
    requireTLS: target.tlsMode === "starttls",
    ignoreTLS: target.tlsMode === "none",
    ...(target.username ? { auth: { user: target.username, pass: target.password ?? "" } } : {}),
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
  });
  try {
    const info = await transport.sendMail({ from: target.fromAddress, to: message.to, subject: message.subject, text: message.text });
    return { messageId: info.messageId };
  } finally {
    transport.close();
  }
}

/**
 * A short reason for the outbox and the audit: the SMTP reply code or the network error's code,
 * never the server's whole answer (it may echo addresses or credentials back).
 */
export function describeMailError(error: unknown): string {
  const e = error as { responseCode?: unknown; code?: unknown; name?: unknown } | null;
  if (typeof e?.responseCode === "number") return `SMTP ${e.responseCode}`;
  if (typeof e?.code === "string" && /^[A-Z_]+$/.test(e.code)) return e.code;
  return error instanceof Error ? error.name : "error";
}
