import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink } from "@/lib/keys/types";
import { openPassword, sealPassword } from "./crypto";
import type { MailSettingsInput, TlsMode } from "./schema";

const MAIL_ID = "org";
export const MAIL_TARGET = "mailSettings";

/** What the settings page may show: never the password, only whether one is set. */
export interface MailSettingsView {
  version: number;
  enabled: boolean;
  host: string;
  port: number;
  tlsMode: TlsMode;
  username: string;
  hasPassword: boolean;
  fromAddress: string;
  updatedAt: string | null;
  updatedByEmail: string | null;
}

export async function getMailSettings(db: PrismaClient): Promise<MailSettingsView> {
  const row = await db.mailSettings.findUnique({ where: { id: MAIL_ID } });
  if (!row) return { version: 0, enabled: false, host: "", port: 587, tlsMode: "starttls", username: "", hasPassword: false, fromAddress: "", updatedAt: null, updatedByEmail: null };
  return {
    version: row.version,
    enabled: row.host !== "",
    host: row.host,
    port: row.port,
    tlsMode: row.tlsMode as TlsMode,
    username: row.username ?? "",
    hasPassword: Boolean(row.passwordSealed),
    fromAddress: row.fromAddress,
    updatedAt: row.updatedAt.toISOString(),
    updatedByEmail: row.updatedByEmail,
  };
}

/** For the sender only (server side): everything nodemailer needs, the password opened. */
export interface SmtpTarget {
  host: string;
  port: number;
  tlsMode: TlsMode;
  username: string | null;
  password: string | null;
  fromAddress: string;
}

export async function smtpTarget(db: PrismaClient, key: Buffer): Promise<SmtpTarget | null> {
  const row = await db.mailSettings.findUnique({ where: { id: MAIL_ID } });
  if (!row || row.host === "") return null;
  return {
    host: row.host,
    port: row.port,
    tlsMode: row.tlsMode as TlsMode,
    username: row.username,
    password: row.passwordSealed ? openPassword(key, row.passwordSealed) : null,
    fromAddress: row.fromAddress,
  };
}

/** Is e-mail configured? (Nothing is queued when it is not.) */
export async function mailEnabled(db: PrismaClient): Promise<boolean> {
  const row = await db.mailSettings.findUnique({ where: { id: MAIL_ID }, select: { host: true } });
  return Boolean(row?.host);
}

/**
 * Save the SMTP settings (optimistic concurrency on version). The audit entry names the server,
 * the TLS mode, the sender and whether a password is set — never the password.
 */
export async function updateMailSettings(
  db: PrismaClient,
  actor: { id: string; email: string },
  input: MailSettingsInput,
  audit: AuditSink,
  key: Buffer,
): Promise<MailSettingsView> {
  audit.target({ type: MAIL_TARGET, id: MAIL_ID, label: "E-mail (SMTP)" });
  const before = await db.mailSettings.findUnique({ where: { id: MAIL_ID } });
  const beforeVersion = before?.version ?? 0;
  if (input.version !== beforeVersion) throw new ActionError("conflict");
  const passwordSealed = input.clearPassword ? null : input.password ? sealPassword(key, input.password) : (before?.passwordSealed ?? null);
  const data = {
    host: input.host ?? "",
    port: input.port,
    tlsMode: input.tlsMode,
    username: input.username ?? null,
    passwordSealed,
    fromAddress: input.fromAddress,
    updatedById: actor.id,
    updatedByEmail: actor.email,
  };
  if (!before) {
    try {
      await db.mailSettings.create({ data: { id: MAIL_ID, version: 1, ...data } });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") throw new ActionError("conflict");
      throw error;
    }
  } else {
    const saved = await db.mailSettings.updateMany({ where: { id: MAIL_ID, version: beforeVersion }, data: { ...data, version: beforeVersion + 1 } });
    if (saved.count !== 1) throw new ActionError("conflict");
  }
  const view = (r: { host: string; port: number; tlsMode: string; username: string | null; fromAddress: string } | null, hasPassword: boolean) =>
    r ? { enabled: r.host !== "", host: r.host, port: r.port, tlsMode: r.tlsMode, username: r.username, from: r.fromAddress, hasPassword } : { enabled: false };
  audit.detail({
    before: view(before, Boolean(before?.passwordSealed)),
    after: view(data, Boolean(passwordSealed)),
    passwordChanged: Boolean(input.password) || (input.clearPassword && Boolean(before?.passwordSealed)),
  });
  return getMailSettings(db);
}
