/**
 * The S3/SQS/trail half of the sandbox as server.ts mounts it (kept in one place so the server's
 * routing changes stay a few lines): control routes under /_sandbox/{s3,sqs,trails}, S3 requests
 * (SigV4 scope `s3`), SQS requests (`X-Amz-Target: AmazonSQS.*`), and the delivery timer.
 */
import type http from "node:http";
import type { IncomingApiRequest } from "../aws-api.js";
import type { SandboxState } from "../state.js";
import { handleStorageControl, isStorageControl } from "./control.js";
import { handleS3, isS3Request } from "./s3.js";
import { handleSqs, isSqsRequest } from "./sqs.js";
import { startDelivery } from "./trail.js";
import { configureWorld, DEFAULT_TRAIL_DELAY_SECONDS } from "./world.js";

export interface StorageOptions {
  /** Seconds from an event to its trail file (default 300, AWS's "about 5 minutes"; tests use 0). */
  trailDelaySeconds?: number;
  /** Directory for S3 object bodies and the S3/SQS/trail configuration (default: memory only). */
  s3Dir?: string;
}

export function mountStorage(root: SandboxState, opts: StorageOptions) {
  configureWorld(root, { trailDelaySeconds: opts.trailDelaySeconds ?? DEFAULT_TRAIL_DELAY_SECONDS, ...(opts.s3Dir ? { dir: opts.s3Dir } : {}) });
  const delivery = startDelivery(root);
  return {
    /** Handles the request if it is one of ours; false otherwise. */
    control(target: SandboxState, method: string, path: string, query: URLSearchParams, headers: Record<string, string>, body: Buffer, res: http.ServerResponse): Promise<void> | false {
      return isStorageControl(path) ? handleStorageControl(target, method, path, query, headers, body, res) : false;
    },
    api(account: SandboxState, req: IncomingApiRequest, res: http.ServerResponse): Promise<void> | false {
      if (isSqsRequest(req.headers)) return handleSqs(account, req, res);
      if (isS3Request(req.headers, req.query)) return handleS3(account, req, res);
      return false;
    },
    stop: () => delivery.stop(),
  };
}
