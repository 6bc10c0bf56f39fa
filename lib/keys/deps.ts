import "server-only";
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
    now: () => new Date(),
    region: c.AWS_REGION,
    keyIamPath: c.KEY_IAM_PATH,
    allowedExtraPolicies: c.ALLOWED_EXTRA_POLICIES,
    ...(c.KEY_PERMISSIONS_BOUNDARY_ARN ? { permissionsBoundaryArn: c.KEY_PERMISSIONS_BOUNDARY_ARN } : {}),
  };
}
