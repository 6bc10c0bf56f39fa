import "server-only";
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
} from "@aws-sdk/client-iam";
import { callAws, isAwsKind } from "./errors";
import { IAM_MAX_ITEMS } from "./iam";
import { type AccountUser, parseCredentialReport, toAccountUser, type CredentialReportRow } from "./iam-posture-mapping";

/**
 * The account-wide reads of the posture evaluation (lib/posture): batch calls, as auditing tools
 * (Prowler) make them, so the cost grows with pages, not with users × checks.
 *
 * - GetAccountAuthorizationDetails (Filter User + AWSManagedPolicy): every user with its inline
 *   documents and attached policies, and the attached AWS managed policies' documents.
 * - GenerateCredentialReport + GetCredentialReport: console password, MFA and access keys of
 *   every user in one CSV.
 * - ListAccessKeys / GetLoginProfile / ListMFADevices: only for the few users the report flags,
 *   because IAM regenerates the report at most every four hours: a finding fixed since then must
 *   not come back from a stale report.
 */

export interface PostureCalls {
  GetAccountAuthorizationDetails: number;
  GenerateCredentialReport: number;
  GetCredentialReport: number;
  ListServiceSpecificCredentials: number;
  ListAccessKeys: number;
  GetLoginProfile: number;
  ListMFADevices: number;
}

export const noCalls = (): PostureCalls => ({
  GetAccountAuthorizationDetails: 0,
  GenerateCredentialReport: 0,
  GetCredentialReport: 0,
  ListServiceSpecificCredentials: 0,
  ListAccessKeys: 0,
  GetLoginProfile: 0,
  ListMFADevices: 0,
});

export interface AuthorizationDetails {
  users: AccountUser[];
  /** Documents of the attached AWS managed policies, by ARN. */
  managedDocuments: Map<string, string>;
}

export async function getAuthorizationDetails(iam: IAMClient, calls: PostureCalls): Promise<AuthorizationDetails> {
  const users: AccountUser[] = [];
  const managedDocuments = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await callAws("iam", "GetAccountAuthorizationDetails", () =>
      iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["User", "AWSManagedPolicy"], MaxItems: IAM_MAX_ITEMS, ...(marker ? { Marker: marker } : {}) })),
    );
    calls.GetAccountAuthorizationDetails++;
    for (const u of page.UserDetailList ?? []) {
      const user = toAccountUser(u);
      if (user) users.push(user);
    }
    for (const p of page.Policies ?? []) {
      const doc = p.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document;
      if (p.Arn && doc) managedDocuments.set(p.Arn, safeDecode(doc));
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return { users, managedDocuments };
}

function safeDecode(doc: string): string {
  try {
    return doc.trim().startsWith("{") ? doc : decodeURIComponent(doc);
  } catch {
    return doc;
  }
}

const REPORT_POLLS = 20;
const REPORT_POLL_MS = 250;

/** Generate (IAM reuses a report under four hours old) and read the credential report. */
export async function getCredentialReport(iam: IAMClient, calls: PostureCalls, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<CredentialReportRow[]> {
  for (let i = 0; i < REPORT_POLLS; i++) {
    const gen = await callAws("iam", "GenerateCredentialReport", () => iam.send(new GenerateCredentialReportCommand({})));
    calls.GenerateCredentialReport++;
    if (gen.State === "COMPLETE" || gen.State === "STARTED") {
      try {
        const out = await callAws("iam", "GetCredentialReport", () => iam.send(new GetCredentialReportCommand({})));
        calls.GetCredentialReport++;
        return parseCredentialReport(Buffer.from(out.Content ?? new Uint8Array()).toString("utf8"));
      } catch (error) {
        // ReportInProgress: generation still running; poll again.
        if (gen.State === "COMPLETE" || !/InProgress|NotPresent/.test(String((error as { awsCode?: string }).awsCode ?? ""))) throw error;
      }
    }
    await sleep(REPORT_POLL_MS);
  }
  throw new Error("credential report not ready");
}

export interface UserCredentialsNow {
  accessKeyIds: string[];
  hasPassword: boolean;
  mfaSerials: string[];
}

/** The current password, MFA and access keys of one user (confirming what the report flagged). */
export async function readUserCredentials(iam: IAMClient, userName: string, need: { keys: boolean; password: boolean; mfa: boolean }, calls: PostureCalls): Promise<UserCredentialsNow | null> {
  try {
    const out: UserCredentialsNow = { accessKeyIds: [], hasPassword: false, mfaSerials: [] };
    if (need.keys) {
      const keys = await callAws("iam", "ListAccessKeys", () => iam.send(new ListAccessKeysCommand({ UserName: userName })));
      calls.ListAccessKeys++;
      out.accessKeyIds = (keys.AccessKeyMetadata ?? []).flatMap((k) => (k.AccessKeyId ? [k.AccessKeyId] : []));
    }
    if (need.password) {
      calls.GetLoginProfile++;
      try {
        await callAws("iam", "GetLoginProfile", () => iam.send(new GetLoginProfileCommand({ UserName: userName })));
        out.hasPassword = true;
      } catch (error) {
        if (!isAwsKind(error, "NotFound")) throw error;
      }
    }
    if (need.mfa) {
      const mfa = await callAws("iam", "ListMFADevices", () => iam.send(new ListMFADevicesCommand({ UserName: userName })));
      calls.ListMFADevices++;
      out.mfaSerials = (mfa.MFADevices ?? []).flatMap((d) => (d.SerialNumber ? [d.SerialNumber] : []));
    }
    return out;
  } catch (error) {
    if (isAwsKind(error, "NotFound")) return null; // the user was deleted meanwhile
    throw error;
  }
}
