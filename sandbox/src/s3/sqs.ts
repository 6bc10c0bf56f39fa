/**
 * Amazon SQS over the JSON protocol current SDKs use (`X-Amz-Target: AmazonSQS.<Op>`,
 * `application/x-amz-json-1.0`): CreateQueue, GetQueueUrl, SendMessage, ReceiveMessage (long
 * polling, MaxNumberOfMessages, VisibilityTimeout), DeleteMessage, GetQueueAttributes.
 * SQS is awsQueryCompatible: errors carry `__type` and the Query code in `x-amzn-query-error`.
 * Visibility and waits run on real time, not the sandbox clock (which tests move freely).
 */
import { randomBytes } from "node:crypto";
import type http from "node:http";
import { authenticate, type IncomingApiRequest } from "../aws-api.js";
import { sleep, takeFault } from "../control/faults.js";
import { AwsError, send } from "../http.js";
import { authorize } from "../iam/authorize.js";
import { requestId as newRequestId } from "../iam/ids.js";
import type { SandboxState } from "../state.js";
import { deliverDue } from "./trail.js";
import { createQueue, type Queue, queueArn, sendMessage, type World, worldOf } from "./world.js";

const CONTENT_TYPE = "application/x-amz-json-1.0";

class SqsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400, readonly queryCode = type) {
    super(message);
  }
}

const AUTH_ERRORS: Record<string, [type: string, status: number]> = {
  MissingAuthenticationToken: ["MissingAuthenticationTokenException", 400],
  InvalidClientTokenId: ["InvalidClientTokenId", 403],
  SignatureDoesNotMatch: ["SignatureDoesNotMatch", 403],
  ExpiredToken: ["ExpiredToken", 403],
  IncompleteSignature: ["IncompleteSignature", 400],
  AccessDenied: ["AccessDenied", 403],
};

export function isSqsRequest(headers: Record<string, string>): boolean {
  return (headers["x-amz-target"] ?? "").startsWith("AmazonSQS.");
}

function nonExistent(): SqsError {
  return new SqsError("QueueDoesNotExist", "The specified queue does not exist.", 400, "AWS.SimpleQueueService.NonExistentQueue");
}

/** `http://<host>/<account>/<name>` (the sandbox's own address, so SDKs that send to the queue URL reach it). */
function queueUrl(host: string, q: Queue): string {
  return `http://${host}/${q.account}/${q.name}`;
}

function queueOf(world: World, url: unknown): Queue {
  if (typeof url !== "string") throw new SqsError("MissingParameter", "The request must contain the parameter QueueUrl.", 400);
  const m = /\/(\d{12})\/([A-Za-z0-9_-]{1,80})\/?$/.exec(url);
  const q = m ? world.queues.get(`${m[1]}/${m[2]}`) : undefined;
  if (!q) throw nonExistent();
  return q;
}

function int(v: unknown, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new SqsError("InvalidParameterValue", `Value ${String(v)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`, 400);
  }
  return v;
}

/** Receipt handles name their queue and message; any handle the sandbox issued for a live message deletes it. */
function receiptHandle(q: Queue, id: string): string {
  return Buffer.from(`${q.account}/${q.name}|${id}|${randomBytes(12).toString("hex")}`).toString("base64");
}

function takeVisible(q: Queue, max: number, visibilityMs: number, attrs: boolean): Array<Record<string, unknown>> {
  const now = Date.now();
  const out: Array<Record<string, unknown>> = [];
  for (const m of q.messages.values()) {
    if (out.length >= max) break;
    if (m.visibleAt > now) continue;
    m.visibleAt = now + visibilityMs;
    m.receiveCount++;
    m.firstReceivedAt ??= now;
    out.push({
      MessageId: m.id,
      ReceiptHandle: receiptHandle(q, m.id),
      MD5OfBody: m.md5,
      Body: m.body,
      ...(attrs
        ? {
            Attributes: {
              SenderId: "AIDAEXAMPLES3SENDER",
              SentTimestamp: String(m.sentAt),
              ApproximateReceiveCount: String(m.receiveCount),
              ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
            },
          }
        : {}),
    });
  }
  return out;
}

async function receive(world: World, q: Queue, input: Record<string, unknown>, res: http.ServerResponse): Promise<unknown> {
  const max = int(input.MaxNumberOfMessages, "MaxNumberOfMessages", 1, 10, 1);
  const visibility = int(input.VisibilityTimeout, "VisibilityTimeout", 0, 43200, q.visibilityTimeoutSeconds);
  const wait = int(input.WaitTimeSeconds, "WaitTimeSeconds", 0, 20, q.receiveWaitSeconds);
  const names = [...((input.AttributeNames as string[] | undefined) ?? []), ...((input.MessageSystemAttributeNames as string[] | undefined) ?? [])];
  const deadline = Date.now() + wait * 1000;
  let gone = false;
  res.once("close", () => (gone = true));
  for (;;) {
    deliverDue(world);
    const got = takeVisible(q, max, visibility * 1000, names.length > 0);
    if (got.length > 0 || Date.now() >= deadline || gone || world.closed) return got.length > 0 ? { Messages: got } : {};
    // Woken by a new message, or every 250 ms (visibility timeouts expiring, trail files falling due).
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        q.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(1, Math.min(250, deadline - Date.now())));
      q.waiters.add(wake);
    });
  }
}

export async function handleSqs(state: SandboxState, req: IncomingApiRequest, res: http.ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const world = worldOf(state);
  const op = (req.headers["x-amz-target"] ?? "").slice("AmazonSQS.".length);
  const host = req.headers.host ?? "127.0.0.1";
  try {
    let principal;
    let region: string;
    try {
      const auth = await authenticate(state, req);
      principal = auth.principal;
      region = auth.region;
    } catch (e) {
      if (e instanceof AwsError && AUTH_ERRORS[e.code]) {
        const [type, status] = AUTH_ERRORS[e.code]!;
        throw new SqsError(type, e.message, status, e.code);
      }
      throw e;
    }
    let input: Record<string, unknown>;
    try {
      input = req.body.length > 0 ? (JSON.parse(req.body.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      throw new SqsError("SerializationException", "Request body is not valid JSON", 400);
    }
    const check = (action: string, resource: string) => {
      try {
        authorize(state, { principal, action, resource, sourceIp: req.sourceIp, userAgent: req.headers["user-agent"] ?? "", region });
      } catch (e) {
        if (e instanceof AwsError) throw new SqsError("AccessDenied", e.message, 403, "AccessDenied");
        throw e;
      }
    };
    /** A queue of this account (cross-account access would need a queue policy, which the sandbox lacks). */
    const ownQueue = (action: string): Queue => {
      const q = queueOf(world, input.QueueUrl);
      if (q.account !== state.accountId) {
        throw new SqsError("AccessDenied", `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${queueArn(q)} because no resource-based policy allows the ${action} action`, 403, "AccessDenied");
      }
      check(action, queueArn(q));
      return q;
    };
    const fault = takeFault(state, "sqs", op);
    if (fault) {
      await sleep(fault.latencyMs);
      if (fault.error) throw new SqsError(fault.error.code, fault.error.message, fault.error.status);
    }
    let out: unknown;
    switch (op) {
      case "CreateQueue": {
        const name = input.QueueName;
        if (typeof name !== "string") throw new SqsError("MissingParameter", "The request must contain the parameter QueueName.", 400);
        check("sqs:CreateQueue", `arn:aws:sqs:${region}:${state.accountId}:${name}`);
        const attrs = (input.Attributes ?? {}) as Record<string, string>;
        let q: Queue;
        try {
          q = createQueue(world, {
            name,
            account: state.accountId,
            region,
            ...(attrs.VisibilityTimeout !== undefined ? { visibilityTimeoutSeconds: Number(attrs.VisibilityTimeout) } : {}),
            ...(attrs.ReceiveMessageWaitTimeSeconds !== undefined ? { receiveWaitSeconds: Number(attrs.ReceiveMessageWaitTimeSeconds) } : {}),
          });
        } catch (e) {
          throw new SqsError("InvalidParameterValue", (e as Error).message, 400);
        }
        out = { QueueUrl: queueUrl(host, q) };
        break;
      }
      case "GetQueueUrl": {
        const owner = typeof input.QueueOwnerAWSAccountId === "string" ? input.QueueOwnerAWSAccountId : state.accountId;
        const q = world.queues.get(`${owner}/${String(input.QueueName)}`);
        if (!q) throw nonExistent();
        if (q.account !== state.accountId) throw nonExistent();
        check("sqs:GetQueueUrl", queueArn(q));
        out = { QueueUrl: queueUrl(host, q) };
        break;
      }
      case "SendMessage": {
        const q = ownQueue("sqs:SendMessage");
        if (typeof input.MessageBody !== "string" || input.MessageBody.length === 0) {
          throw new SqsError("MissingParameter", "The request must contain the parameter MessageBody.", 400);
        }
        const m = sendMessage(world, q, input.MessageBody);
        out = { MessageId: m.id, MD5OfMessageBody: m.md5 };
        break;
      }
      case "ReceiveMessage":
        out = await receive(world, ownQueue("sqs:ReceiveMessage"), input, res);
        break;
      case "DeleteMessage": {
        const q = ownQueue("sqs:DeleteMessage");
        const handle = typeof input.ReceiptHandle === "string" ? input.ReceiptHandle : "";
        const parts = Buffer.from(handle, "base64").toString("utf8").split("|");
        if (parts.length !== 3 || parts[0] !== `${q.account}/${q.name}`) {
          throw new SqsError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`, 400);
        }
        q.messages.delete(parts[1]!); // deleting an already deleted message succeeds, as on SQS
        out = {};
        break;
      }
      case "GetQueueAttributes": {
        const q = ownQueue("sqs:GetQueueAttributes");
        const now = Date.now();
        let visible = 0;
        for (const m of q.messages.values()) if (m.visibleAt <= now) visible++;
        out = {
          Attributes: {
            QueueArn: queueArn(q),
            ApproximateNumberOfMessages: String(visible),
            ApproximateNumberOfMessagesNotVisible: String(q.messages.size - visible),
            VisibilityTimeout: String(q.visibilityTimeoutSeconds),
            ReceiveMessageWaitTimeSeconds: String(q.receiveWaitSeconds),
            CreatedTimestamp: String(Math.floor(q.created / 1000)),
          },
        };
        break;
      }
      default:
        throw new SqsError("UnsupportedOperation", `The sandbox does not emulate SQS ${op}.`, 400, "AWS.SimpleQueueService.UnsupportedOperation");
    }
    send(res, 200, CONTENT_TYPE, JSON.stringify(out), { "x-amzn-RequestId": requestId });
  } catch (e) {
    const err = e instanceof SqsError ? e : new SqsError("InternalError", "Internal error", 500);
    if (!(e instanceof SqsError)) console.error("sandbox: unexpected error in SQS", op, e);
    if (res.writableEnded || res.destroyed) return;
    send(res, err.status, CONTENT_TYPE, JSON.stringify({ __type: `com.amazonaws.sqs#${err.type}`, message: err.message }), {
      "x-amzn-RequestId": requestId,
      "x-amzn-query-error": `${err.queryCode};${err.status >= 500 ? "Receiver" : "Sender"}`,
    });
  }
}
