/**
 * S3 event notifications to SQS (issue 19): the message S3 sends for `s3:ObjectCreated:Put`
 * (event message structure 2.1), and the `s3:TestEvent` S3 sends when a configuration is saved,
 * which consumers must recognise and ignore.
 */
import { randomBytes } from "node:crypto";
import { isoSeconds } from "../clock.js";
import { type Bucket, type NotificationConfig, queueByArn, type S3Object, saveConfig, sendMessage, type World } from "./world.js";

/** S3 puts the key in notifications URL-encoded the way HTML forms are (spaces as `+`, `/` kept). */
export function notificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+");
}

function matches(n: NotificationConfig, key: string): boolean {
  const eventOk = n.events.some((e) => e === "s3:ObjectCreated:*" || e === "s3:ObjectCreated:Put");
  return eventOk && (!n.prefix || key.startsWith(n.prefix)) && (!n.suffix || key.endsWith(n.suffix));
}

export function objectCreatedMessage(bucket: Bucket, obj: S3Object, configurationId: string): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: bucket.region,
        eventTime: new Date(obj.lastModified).toISOString(),
        eventName: "ObjectCreated:Put",
        // CloudTrail writes the log files; its delivery role is the principal.
        userIdentity: { principalId: "AWS:AROAEXAMPLECLOUDTRAIL:regionalDeliverySession" },
        requestParameters: { sourceIPAddress: "cloudtrail.amazonaws.com" },
        responseElements: { "x-amz-request-id": randomBytes(8).toString("hex").toUpperCase(), "x-amz-id-2": randomBytes(48).toString("base64") },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId,
          bucket: { name: bucket.name, ownerIdentity: { principalId: `A${bucket.owner}SANDBOX` }, arn: `arn:aws:s3:::${bucket.name}` },
          object: { key: notificationKey(obj.key), size: obj.size, eTag: obj.etag.replace(/"/g, ""), sequencer: obj.lastModified.toString(16).toUpperCase().padStart(16, "0") },
        },
      },
    ],
  });
}

/** Sends the notification for a new object to every matching queue of the bucket's configuration. */
export function notifyObjectCreated(world: World, bucket: Bucket, obj: S3Object): void {
  for (const n of bucket.notifications) {
    if (!matches(n, obj.key)) continue;
    const queue = queueByArn(world, n.queueArn);
    if (!queue) continue; // a deleted queue: S3 drops the event
    sendMessage(world, queue, objectCreatedMessage(bucket, obj, n.id));
    world.stats.notificationsSent++;
  }
}

/** Replaces the bucket's notification configuration; S3 then sends a test event to each queue. */
export function setNotifications(world: World, bucket: Bucket, configs: NotificationConfig[], nowMs: number): void {
  for (const c of configs) {
    if (!queueByArn(world, c.queueArn)) throw new Error(`Unable to validate the following destination configurations: no queue ${c.queueArn}`);
  }
  bucket.notifications = configs;
  saveConfig(world);
  for (const c of configs) {
    sendMessage(world, queueByArn(world, c.queueArn)!, JSON.stringify({
      Service: "Amazon S3",
      Event: "s3:TestEvent",
      Time: isoSeconds(nowMs).replace("Z", ".000Z"),
      Bucket: bucket.name,
      RequestId: randomBytes(8).toString("hex").toUpperCase(),
      HostId: randomBytes(48).toString("base64"),
    }));
  }
}
