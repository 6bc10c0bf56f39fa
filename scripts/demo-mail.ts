/**
 * `npm run demo`'s mailbox: a local SMTP server (the same `smtp-server` + `mailparser` the tests
 * use) that prints every e-mail it receives, so budget alerts can be watched arriving without a
 * real mail server. Also points the demo console's SMTP settings at itself, unless an admin has
 * already changed them on the settings page. Demo databases only (SEED_DEMO=1).
 * Usage: SEED_DEMO=1 SMTP_PORT=2525 DATABASE_URL=file:./data/demo.db tsx scripts/demo-mail.ts
 */
import { createPrismaClient } from "@/lib/db/client";
import { startLocalSmtp } from "@/lib/testing/smtp-server";

async function main() {
  if (process.env.SEED_DEMO !== "1") {
    console.error("Refusing: set SEED_DEMO=1 to confirm this is a demo database.");
    process.exit(2);
  }
  const port = Number(process.env.SMTP_PORT ?? "2525");
  const smtp = await startLocalSmtp({
    port,
    onMail: (mail) => {
      const body = mail.text.trim().split("\n").map((l) => `      ${l}`).join("\n");
      console.log(`\n  ✉ ${mail.receivedAt.slice(11, 19)} mail to ${mail.to.join(", ")} from ${mail.from}\n    Subject: ${mail.subject}\n${body}\n`);
    },
  });
  const db = createPrismaClient(process.env.DATABASE_URL ?? "file:./data/demo.db");
  try {
    const existing = await db.mailSettings.findUnique({ where: { id: "org" } });
    if (!existing) {
      await db.mailSettings.create({ data: { id: "org", version: 1, host: "127.0.0.1", port: smtp.port, tlsMode: "none", fromAddress: "bedrock-keys@demo.local", updatedByEmail: "demo" } });
    } else if (existing.host === "127.0.0.1" && existing.port !== smtp.port) {
      await db.mailSettings.update({ where: { id: "org" }, data: { port: smtp.port, version: existing.version + 1 } });
    }
  } finally {
    await db.$disconnect();
  }
  console.log(`  Demo mailbox (SMTP) on 127.0.0.1:${smtp.port}: every e-mail the console sends is printed here.`);
  const stop = () => void smtp.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
