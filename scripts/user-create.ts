/**
 * Creates a console user — typically the first admin of a production install.
 *   npm run user:create -- --email admin@example.com --name "Platform Admin" [--role admin]
 * The password comes from CONSOLE_USER_PASSWORD or an interactive prompt — never from the command
 * line, where it would land in shell history and the process list.
 */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { z } from "zod";
import { appendAudit } from "@/lib/audit/service";
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/permissions";
import { createPrismaClient } from "@/lib/db/client";

const argsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES).default("admin"),
});

async function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error("No terminal to prompt on: set CONSOLE_USER_PASSWORD instead.");
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(q);
      muted = true;
      rl.question("", (answer) => {
        muted = false;
        process.stdout.write("\n");
        resolve(answer);
      });
    });
  const first = await ask(question);
  const second = await ask("Repeat password: ");
  rl.close();
  if (first !== second) throw new Error("The passwords do not match.");
  return first;
}

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } } });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error("Usage: npm run user:create -- --email <email> --name <name> [--role admin|lead|developer]");
    for (const issue of parsed.error.issues) console.error(`  --${issue.path.join(".")}: ${issue.message}`);
    process.exit(2);
  }
  const password = process.env.CONSOLE_USER_PASSWORD || (await promptHidden("Password: "));
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    console.error(`The password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters.`);
    process.exit(2);
  }
  const db = createPrismaClient(process.env.DATABASE_URL ?? "file:./data/console.db");
  try {
    const existing = await db.user.findUnique({ where: { email: parsed.data.email }, select: { id: true } });
    if (existing) {
      console.error(`A user with the email ${parsed.data.email} already exists.`);
      process.exit(1);
    }
    const user = await db.user.create({
      data: { ...parsed.data, passwordHash: await hashPassword(password) },
      select: { id: true, email: true, role: true },
    });
    await appendAudit(db, {
      action: "users.create",
      result: "success",
      actorEmail: "cli:user:create",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email,
      details: { role: user.role, via: "cli" },
    });
    console.log(`Created ${user.role} ${user.email}.`);
  } finally {
    await db.$disconnect();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
