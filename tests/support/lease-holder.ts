/**
 * Test helper process: a console instance holding a job lease when it is told to stop.
 * Takes lease <name>, installs the console's SIGTERM handler, prints "ready", and waits.
 *   node --import tsx tests/support/lease-holder.ts <DATABASE_URL> <lease name>
 * (node itself, not the tsx wrapper, so the signal reaches this process directly)
 */
import { createPrismaClient } from "@/lib/db/client";
import { acquireLease } from "@/lib/keys/lease";
import { installShutdownHandler } from "@/lib/ops/shutdown";

const [url, name] = process.argv.slice(2);
const db = createPrismaClient(url!);
if (!(await acquireLease(db, name!, `pid-${process.pid}`, 10 * 60_000, new Date()))) {
  console.error("could not take the lease");
  process.exit(1);
}
const log = {
  info: (fields: object, message: string) => process.stdout.write(`${message} ${JSON.stringify(fields)}\n`),
  warn: (fields: object, message: string) => process.stderr.write(`${message} ${String((fields as { err?: unknown }).err)}\n`),
};
installShutdownHandler({ db: () => db, graceMs: 1_000, log });
process.stdout.write("ready\n");
setInterval(() => undefined, 1_000); // stay alive until the signal
