/**
 * Bedrock runtime's wire format (AWS restJson1): errors carry the HTTP status, an
 * `x-amzn-ErrorType` header naming the exception, and a `{"message": ...}` body — which is how
 * the AWS SDKs and botocore recognise the exception class.
 */
import type http from "node:http";

/** HTTP status of each modelled Bedrock runtime exception. */
export const ERROR_STATUS: Record<string, number> = {
  AccessDeniedException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceQuotaExceededException: 400,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  MissingAuthenticationTokenException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
  IncompleteSignatureException: 400,
  UnknownOperationException: 404,
};

export class RuntimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = ERROR_STATUS[code] ?? 400,
  ) {
    super(message);
  }
}

// Framework-level errors (authentication, unknown route) come from AWS's generic service layer.
const GENERIC = new Set([
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "IncompleteSignatureException",
  "UnknownOperationException",
]);

export function sendError(res: http.ServerResponse, requestId: string, err: RuntimeError): void {
  const body = JSON.stringify({ message: err.message });
  const namespace = GENERIC.has(err.code) ? "com.amazon.coral.service" : "com.amazon.bedrock";
  res.writeHead(err.status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    Date: new Date().toUTCString(),
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": `${err.code}:http://internal.amazon.com/coral/${namespace}/`,
  });
  res.end(body);
}

export function sendJsonBody(res: http.ServerResponse, requestId: string, value: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    Date: new Date().toUTCString(),
    "x-amzn-RequestId": requestId,
    ...extra,
  });
  res.end(body);
}

/** Writes an event stream; the frames are complete messages, sent as one chunked response. */
export function sendEventStream(res: http.ServerResponse, requestId: string, frames: Buffer[], extra: Record<string, string> = {}): void {
  res.writeHead(200, {
    "Content-Type": "application/vnd.amazon.eventstream",
    Date: new Date().toUTCString(),
    "x-amzn-RequestId": requestId,
    ...extra,
  });
  for (const frame of frames) res.write(frame);
  res.end();
}
