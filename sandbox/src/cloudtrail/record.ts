import { randomUUID } from "node:crypto";
import { isoSeconds, now } from "../clock.js";
import type { Principal } from "../iam/credentials.js";
import { queueForTrails } from "../s3/trail.js";
import type { SandboxState } from "../state.js";
import type { CloudTrailRecordLike, ResourceRef } from "./store.js";

/** The full JSON record as CloudTrail stores it (the `CloudTrailEvent` string of LookupEvents). */
export interface CloudTrailRecord extends CloudTrailRecordLike {
  eventVersion: string;
  userIdentity: Record<string, unknown> & CloudTrailRecordLike["userIdentity"];
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  readOnly: boolean;
  eventType: string;
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: string;
}

/** Stores a record (indexed by its awsRegion) and hands it to persistence. */
export function recordEvent(
  state: SandboxState,
  event: CloudTrailRecord | CloudTrailRecordLike,
  resources?: readonly ResourceRef[],
): void {
  const stored = state.events.add(event, resources);
  const json = state.events.json(stored);
  state.onEvents?.(event.awsRegion, [persistLine(event.awsRegion, resources, json)]);
  // Organisation trails deliver it to S3 as well (sandbox/src/s3/trail.ts).
  queueForTrails(state, [event], [json]);
}

/** One line of the append-only events file: region, resources and the record text. */
export function persistLine(region: string, resources: readonly ResourceRef[] | undefined, json: string): string {
  return `{"r":${JSON.stringify(region)},"res":${JSON.stringify(resources ?? null)},"e":${json}}`;
}

/** userIdentity block as CloudTrail writes it for the principal that made a call. */
export function userIdentityFor(state: SandboxState, principal: Principal, accessKeyId?: string): Record<string, unknown> {
  const accountId = state.accountId;
  switch (principal.type) {
    case "root":
      return { type: "Root", principalId: accountId, arn: principal.arn, accountId, ...(accessKeyId ? { accessKeyId } : {}) };
    case "user":
      return {
        type: "IAMUser",
        principalId: principal.userId,
        arn: principal.arn,
        accountId,
        ...(accessKeyId ? { accessKeyId } : {}),
        userName: principal.userName,
      };
    case "assumed-role":
      return {
        type: "AssumedRole",
        principalId: `${principal.roleId}:${principal.sessionName}`,
        arn: principal.arn,
        accountId,
        ...(accessKeyId ? { accessKeyId } : {}),
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: principal.roleId,
            arn: `arn:aws:iam::${accountId}:role/${principal.roleName}`,
            accountId,
            userName: principal.roleName,
          },
          ...(principal.sourceIdentity ? { sourceIdentity: principal.sourceIdentity } : {}),
          attributes: { creationDate: isoSeconds(principal.issuedAt), mfaAuthenticated: "false" },
        },
      };
  }
}

/** Builds a management-event record for an API call made through the sandbox. */
export function apiCallRecord(
  state: SandboxState,
  call: {
    principal: Principal | null;
    accessKeyId?: string;
    eventSource: string;
    eventName: string;
    region: string;
    sourceIp: string;
    userAgent: string;
    readOnly: boolean;
    requestParameters: Record<string, unknown> | null;
    responseElements: Record<string, unknown> | null;
    additionalEventData?: Record<string, unknown>;
    errorCode?: string;
    errorMessage?: string;
    requestId: string;
    eventTime?: Date;
  },
): CloudTrailRecord {
  const record: CloudTrailRecord = {
    eventVersion: "1.11",
    userIdentity: call.principal
      ? userIdentityFor(state, call.principal, call.accessKeyId)
      : { type: "Unknown", accountId: state.accountId, ...(call.accessKeyId ? { accessKeyId: call.accessKeyId } : {}) },
    eventTime: isoSeconds(call.eventTime ?? now(state)),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: call.errorMessage ?? "" } : {}),
    requestParameters: call.requestParameters,
    responseElements: call.responseElements,
    ...(call.additionalEventData ? { additionalEventData: call.additionalEventData } : {}),
    requestID: call.requestId,
    eventID: randomUUID(),
    readOnly: call.readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: state.accountId,
    eventCategory: "Management",
  };
  return record;
}
