/**
 * Risky keys for /posture's demo (issue 16), made the way people make them outside the console:
 * in the AWS console or with the CLI. Straight IAM calls against the sandbox, no console service.
 *
 * - BedrockAPIKey-legacy-bot: a key that never expires, and its user also has an access key (pivot).
 * - BedrockAPIKey-ops-shared: a 365-day key whose user has AmazonBedrockFullAccess and an inline
 *   policy allowing iam:* (over-broad).
 * - BedrockAPIKey-left-behind: a user whose key was deleted in the AWS console (orphan).
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  type IAMClient,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";

export const POSTURE_DEMO_USERS = ["BedrockAPIKey-legacy-bot", "BedrockAPIKey-ops-shared", "BedrockAPIKey-left-behind"] as const;

const BEDROCK = "bedrock.amazonaws.com";
const LIMITED = "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess";

export async function seedPostureRisks(iam: IAMClient): Promise<void> {
  const [legacy, ops, left] = POSTURE_DEMO_USERS;
  await iam.send(new CreateUserCommand({ UserName: legacy }));
  await iam.send(new AttachUserPolicyCommand({ UserName: legacy, PolicyArn: LIMITED }));
  // No CredentialAgeDays: a key that never expires. The access key is what makes it a pivot.
  // Both secrets are dropped at once: nothing uses them.
  await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: legacy, ServiceName: BEDROCK }));
  await iam.send(new CreateAccessKeyCommand({ UserName: legacy }));

  await iam.send(new CreateUserCommand({ UserName: ops }));
  await iam.send(new AttachUserPolicyCommand({ UserName: ops, PolicyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess" }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: ops,
      PolicyName: "ops-admin",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:*"], Resource: "*" }] }),
    }),
  );
  await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: ops, ServiceName: BEDROCK, CredentialAgeDays: 365 }));

  await iam.send(new CreateUserCommand({ UserName: left }));
  await iam.send(new AttachUserPolicyCommand({ UserName: left, PolicyArn: LIMITED }));
}
