import "server-only";
import { accountAccess } from "@/lib/accounts/deps";
import { awsClients } from "@/lib/aws/clients";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import type { KeyDeps } from "./types";

/** The app's dependencies for the key services. */
export function keyDeps(): KeyDeps {
  const c = config();
  return {
    db: db(),
    iam: awsClients().iam,
    // Each key acts through its own account's credentials (issue 14).
    iamFor: (accountId) => accountAccess().iamFor(accountId),
    accounts: accountAccess(),
    now: () => new Date(),
    region: c.AWS_REGION,
    keyIamPath: c.KEY_IAM_PATH,
    allowedExtraPolicies: c.ALLOWED_EXTRA_POLICIES,
    ...(c.KEY_PERMISSIONS_BOUNDARY_ARN ? { permissionsBoundaryArn: c.KEY_PERMISSIONS_BOUNDARY_ARN } : {}),
  };
}
