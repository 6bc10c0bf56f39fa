/**
 * Creates the IAM role that signs short-term Bedrock API keys, if it is missing, and prints its
 * ARN (set it as SHORT_TERM_ROLE_ARN). Idempotent: an existing role is checked, not changed.
 *
 * Usage (credentials from the SDK's default chain; run as an identity allowed to create roles,
 * not necessarily the console's own identity):
 *   npx tsx scripts/aws-bootstrap.ts [--principal-arn <arn>] [--role-name <name>] [--path </path/>] [--quiet]
 *
 *   --principal-arn  the console's IAM principal, trusted to assume the role. Default: the caller
 *                    (an assumed-role caller becomes its role's ARN; give roles with a path explicitly).
 *   --quiet          print only the ARN (for scripts: SHORT_TERM_ROLE_ARN=$(npx tsx scripts/aws-bootstrap.ts --quiet)).
 *
 * Against the sandbox: AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
 * AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY npx tsx scripts/aws-bootstrap.ts
 * See docs/aws-permissions.md for the role's trust and permission policies.
 */
import { parseArgs } from "node:util";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { AwsServiceError } from "@/lib/aws/errors";
import { DEFAULT_ROLE_NAME, DEFAULT_ROLE_PATH, ensureShortTermRole } from "@/lib/shortterm/bootstrap";

async function main() {
  const { values } = parseArgs({
    options: {
      "principal-arn": { type: "string" },
      "role-name": { type: "string", default: DEFAULT_ROLE_NAME },
      path: { type: "string", default: DEFAULT_ROLE_PATH },
      quiet: { type: "boolean", default: false },
    },
  });
  const region = process.env.AWS_REGION ?? "us-east-1";
  const endpoint = process.env.AWS_ENDPOINT_URL || undefined;
  const common = { region, ...(endpoint ? { endpoint } : {}), maxAttempts: 5 };
  const result = await ensureShortTermRole(
    { iam: new IAMClient({ ...common, region: "us-east-1" }), sts: new STSClient(common) },
    { roleName: values["role-name"], path: values.path, ...(values["principal-arn"] ? { principalArn: values["principal-arn"] } : {}) },
  );
  if (values.quiet) {
    console.log(result.roleArn);
  } else {
    console.log(result.created ? `Created role ${result.roleArn}` : `Role already exists: ${result.roleArn}`);
    console.log(`Trusted principal: ${result.principalArn}`);
    console.log(`\nSet in the console's environment:\n  SHORT_TERM_ROLE_ARN=${result.roleArn}`);
  }
  for (const w of result.warnings) console.error(`warning: ${w}`);
}

main().catch((error: unknown) => {
  if (error instanceof AwsServiceError) {
    console.error(`aws-bootstrap failed: ${error.operation} → ${error.awsCode}${error.kind === "AccessDenied" ? ` (missing permission ${String(error.params.action)})` : ""}`);
  } else {
    console.error(`aws-bootstrap failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
