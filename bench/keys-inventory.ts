/**
 * Inventory benchmark: an account with 5,000 Bedrock API keys in the sandbox.
 * Measures the IAM calls and time of an inventory refresh (cold: every key new; warm: all known)
 * and the time of the /keys query service (first page, filtered) from the database.
 *
 *   npx tsx --conditions=react-server bench/keys-inventory.ts [--keys 5000] [--console-users 100]
 *
 * (`--conditions=react-server` lets the app's `server-only` modules load outside Next.js.)
 * Keys are made through the sandbox's IAM API: users under "/" (made outside the console) and a
 * few under the console's IAM path with console tags (console keys whose records were lost, which
 * the refresh re-links by reading their tags — the only keys that cost extra calls).
 */
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { CreateServiceSpecificCredentialCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { refreshInventory } from "@/lib/keys/inventory";
import { listKeys } from "@/lib/keys/queries";
import { keyFilterSchema } from "@/lib/keys/schemas";
import { createKeysTestEnv, KEY_PATH } from "@/tests/support/keys-env";

const { values } = parseArgs({
  options: { keys: { type: "string", default: "5000" }, "console-users": { type: "string", default: "100" }, runs: { type: "string", default: "20" } },
});
const N = Number(values.keys);
const CONSOLE_USERS = Number(values["console-users"]);
const RUNS = Number(values.runs);

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const pick = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${pick(0.5).toFixed(1)} ms, p95 ${pick(0.95).toFixed(1)} ms (n=${s.length})`;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const loadAtStart = loadavg().map((l) => l.toFixed(1)).join(" ");

async function main() {
  const env = await createKeysTestEnv({ maxAttempts: 5 });
  let iamCalls = 0;
  env.aws.iam.middlewareStack.add(
    (next) => async (args) => {
      iamCalls++;
      return next(args);
    },
    { step: "build", name: "countCalls" },
  );
  try {
    // ── Set-up: N keys, two per IAM user ──
    const t0 = performance.now();
    const users = Array.from({ length: Math.ceil(N / 2) }, (_, i) => i);
    const admin = await env.actor(env.users.admin);
    await pool(users, 16, async (i) => {
      const onConsolePath = i < CONSOLE_USERS;
      const userName = onConsolePath ? `BedrockAPIKey-bench-${i}` : `bench-user-${i}`;
      await env.aws.iam.send(
        new CreateUserCommand({
          UserName: userName,
          Path: onConsolePath ? KEY_PATH : "/",
          ...(onConsolePath
            ? { Tags: [{ Key: "console-key-id", Value: `lost-${i}` }, { Key: "owner", Value: "dev-a@example.com" }, { Key: "team", Value: "Payments" }, { Key: "name", Value: `Bench ${i}` }] }
            : {}),
        }),
      );
      const perUser = Math.min(2, N - i * 2);
      for (let k = 0; k < perUser; k++) {
        await env.aws.iam.send(
          new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: "bedrock.amazonaws.com", ...(k === 0 ? { CredentialAgeDays: 1 + (i % 365) } : {}) }),
        );
      }
    });
    const setupSeconds = (performance.now() - t0) / 1000;

    // ── Refresh: cold (every key new), then warm (every key known) ──
    iamCalls = 0;
    let t = performance.now();
    const cold = await refreshInventory(env.deps);
    const coldMs = performance.now() - t;
    const coldCounted = iamCalls;
    iamCalls = 0;
    t = performance.now();
    const warm = await refreshInventory(env.deps);
    const warmMs = performance.now() - t;
    const warmCounted = iamCalls;

    // Give a third of the unmanaged keys an owner and team, so team filters have work to do.
    const rows = await env.db.apiKey.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    const third = rows.filter((_, i) => i % 3 === 0).map((r) => r.id);
    for (let i = 0; i < third.length; i += 500) {
      await env.db.apiKey.updateMany({
        where: { id: { in: third.slice(i, i + 500) } },
        data: { managed: true, ownerId: env.users.devB.id, teamId: env.teams.B.id },
      });
    }

    // ── The /keys query service ──
    const leadB = await env.actor(env.users.leadB);
    const f = (x: Record<string, string> = {}) => keyFilterSchema.parse(x);
    const scenarios: [string, () => Promise<unknown>][] = [
      ["admin, first page (50, newest first)", () => listKeys(env.db, admin, f())],
      ["admin, status=Active + expiring within 30 days", () => listKeys(env.db, admin, f({ status: "Active", expiringWithinDays: "30" }))],
      ["admin, search 'bench-user-12'", () => listKeys(env.db, admin, f({ q: "bench-user-12" }))],
      ["admin, unmanaged, sorted by name, page 20", () => listKeys(env.db, admin, f({ managed: "unmanaged", sort: "name", dir: "asc", page: "20" }))],
      ["lead (team scope), sorted by expiry", () => listKeys(env.db, leadB, f({ sort: "expiresAt", dir: "asc" }))],
    ];
    const queryLines: string[] = [];
    for (const [label, run] of scenarios) {
      await run(); // warm-up
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await timeIt(run));
      queryLines.push(`  ${label.padEnd(52)} ${stats(times)}`);
    }
    const total = await env.db.apiKey.count();

    const cpu = cpus();
    console.log(`
Bedrock Key Console — inventory benchmark
machine: ${cpu[0]?.model ?? "unknown cpu"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}; load average at start ${loadAtStart}, at end ${loadavg().map((l) => l.toFixed(1)).join(" ")}
sandbox: in-process, SQLite test database; keys: ${N} (${users.length} IAM users, ${Math.min(CONSOLE_USERS, users.length)} under ${KEY_PATH} with console tags)
set-up through the IAM API: ${setupSeconds.toFixed(1)} s

refresh, cold (every key new):  ${coldMs.toFixed(0)} ms, IAM calls ${cold.totalCalls} (counted on the wire: ${coldCounted})
  ListServiceSpecificCredentials ${cold.calls.ListServiceSpecificCredentials} (expected ⌈${N}/1000⌉ = ${Math.ceil(N / 1000)}), ListUsers ${cold.calls.ListUsers}, ListUserTags ${cold.calls.ListUserTags} (one per new user under the console path)
  listed ${cold.listed}, created ${cold.created}, re-linked ${cold.relinked}
refresh, warm (every key known): ${warmMs.toFixed(0)} ms, IAM calls ${warm.totalCalls} (counted on the wire: ${warmCounted}), rows written ${warm.updated + warm.created}

/keys query service over ${total} rows:
${queryLines.join("\n")}
`);
  } finally {
    await env.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
