/**
 * The demo's first-run data: managed keys, requests, short-term keys and 30 days of Bedrock
 * traffic for the demo accounts (scripts/demo/seed-data.ts), made through the console's own
 * services against the running sandbox. `npm run demo` runs it once, on a fresh data/ folder,
 * after the sandbox and the signing role are up and before the console starts.
 *
 * Only ever touches a demo: it needs SEED_DEMO=1, a database with nothing but @demo.local users,
 * and an AWS_ENDPOINT_URL that answers as the sandbox. It prints one line and no secret.
 * Usage (the demo's environment): node --conditions=react-server --import tsx scripts/seed-demo-data.ts
 * (`react-server` lets the console's server-only modules load outside Next.js.)
 */
import { createAwsClients } from "@/lib/aws/clients";
import { parseConfig } from "@/lib/config/schema";
import { createPrismaClient } from "@/lib/db/client";
import { assertDemoDatabase, NotADemoDatabase } from "./demo/accounts";
import { describeDemoSeed, seedDemoData } from "./demo/seed-data";

function refuse(message: string): never {
  console.error(`Refusing to seed demo data: ${message}`);
  process.exit(2);
}

async function main() {
  if (process.env.SEED_DEMO !== "1") refuse("set SEED_DEMO=1 to confirm this is a demo.");
  const c = parseConfig(process.env);
  if (!c.AWS_ENDPOINT_URL) refuse("AWS_ENDPOINT_URL is not set; demo data goes to the sandbox only.");
  // The sandbox's control API exists nowhere else: this is never an AWS account.
  const health = await fetch(`${c.AWS_ENDPOINT_URL.replace(/\/+$/, "")}/_sandbox/health`).catch(() => null);
  if (!health?.ok) refuse(`${c.AWS_ENDPOINT_URL} is not a running sandbox.`);
  if (!c.SHORT_TERM_ROLE_ARN) refuse("SHORT_TERM_ROLE_ARN is not set (run scripts/aws-bootstrap.ts first).");

  const db = createPrismaClient(c.DATABASE_URL);
  const aws = createAwsClients({ region: c.AWS_REGION, endpoint: c.AWS_ENDPOINT_URL, maxAttempts: c.AWS_MAX_ATTEMPTS });
  try {
    await assertDemoDatabase(db, c.DATABASE_URL);
    const summary = await seedDemoData({
      db,
      iam: aws.iam,
      sts: aws.sts,
      sandboxUrl: c.AWS_ENDPOINT_URL,
      region: c.AWS_REGION,
      keyIamPath: c.KEY_IAM_PATH,
      allowedExtraPolicies: c.ALLOWED_EXTRA_POLICIES,
      ...(c.KEY_PERMISSIONS_BOUNDARY_ARN ? { permissionsBoundaryArn: c.KEY_PERMISSIONS_BOUNDARY_ARN } : {}),
      regions: c.BEDROCK_REGIONS,
      shortTermRoleArn: c.SHORT_TERM_ROLE_ARN,
      shortTermMaxHours: c.SHORT_TERM_MAX_HOURS,
      ...(c.AUTH_URL ? { appUrl: c.AUTH_URL } : {}),
    });
    console.log(`  ${describeDemoSeed(summary)}`);
  } catch (error) {
    if (!(error instanceof NotADemoDatabase)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  } finally {
    aws.iam.destroy();
    aws.sts.destroy();
    aws.cloudtrail.destroy();
    await db.$disconnect();
  }
}

await main().catch((error: unknown) => {
  // The sandbox now holds part of the story and the demo only seeds a fresh one.
  console.error(`Seeding demo data failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error("  Delete the data/ folder and run npm run demo again for a fresh demo.");
  process.exit(1);
});
