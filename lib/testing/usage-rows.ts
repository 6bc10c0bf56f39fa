import type { IngestRow } from "@/lib/usage/ingest";
import { type NormalizedEvent, utcDay } from "@/lib/usage/normalize";

/**
 * Test support: one Converse call of `subject` ("key:<iam user>" or "person:<name>") at
 * `eventTime`, as the sync would commit it (unattributed), with `extra` fields overriding.
 */
export function usageRow(id: string, subject: string, eventTime: Date, extra: Partial<NormalizedEvent> = {}): IngestRow {
  const name = subject.slice(subject.indexOf(":") + 1);
  const longTerm = subject.startsWith("key:");
  const event: NormalizedEvent = {
    eventId: id,
    eventTime,
    day: utcDay(eventTime),
    region: "us-east-1",
    inferenceRegion: "us-west-2",
    eventName: "Converse",
    modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    identityType: longTerm ? "long-term" : "short-term",
    principalArn: longTerm ? `arn:aws:iam::123456789012:user/${name}` : `arn:aws:sts::123456789012:assumed-role/Signer/${name}`,
    principalName: name,
    sourceIdentity: longTerm ? null : name,
    accessKeyId: null,
    subject,
    sourceIp: "192.0.2.10",
    userAgent: "Boto3/1.39.16",
    errorCode: null,
    errorMessage: null,
    result: "success",
    keyRefused: false,
    api: "converse",
    endpoint: "runtime",
    project: "",
    ...extra,
  };
  return { event, raw: JSON.stringify({ eventID: event.eventId, eventSource: "bedrock.amazonaws.com" }), resolution: { apiKeyId: null, userId: null } };
}
