import type { Operation } from "./common.js";
import { accessKeyOperations } from "./access-keys.js";
import { accountDetailOperations } from "./account-details.js";
import { loginMfaOperations } from "./login-mfa.js";
import { managedPolicyOperations } from "./managed.js";
import { policyOperations } from "./policy-ops.js";
import { roleOperations } from "./roles.js";
import { serviceCredentialOperations } from "./service-credentials.js";
import { userOperations } from "./users.js";

/** Every IAM action the sandbox answers, by Query-protocol Action name. */
export const iamOperations: Readonly<Record<string, Operation>> = {
  ...userOperations,
  ...accessKeyOperations,
  ...serviceCredentialOperations,
  ...policyOperations("User"),
  ...policyOperations("Role"),
  ...roleOperations,
  ...managedPolicyOperations,
  ...loginMfaOperations,
  ...accountDetailOperations,
};
