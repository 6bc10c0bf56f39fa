import { NoSuchEntityException } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { AwsServiceError, awsErrorCode, callAws, classifyAwsError, deniedAction, toAwsServiceError } from "./errors";

const sdkError = (name: string, status: number, message = "x") =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $fault: status >= 500 ? "server" : "client" });

describe("AWS error mapping", () => {
  it("strips the SDK's Exception suffix from codes", () => {
    expect(awsErrorCode(new NoSuchEntityException({ message: "gone", $metadata: {} }))).toBe("NoSuchEntity");
    expect(awsErrorCode(sdkError("ThrottlingException", 400))).toBe("Throttling");
    expect(awsErrorCode(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }))).toBe("ECONNREFUSED");
    expect(awsErrorCode(null)).toBe("Unknown");
  });

  it.each([
    ["NoSuchEntityException", 404, "NotFound"],
    ["EntityAlreadyExistsException", 409, "AlreadyExists"],
    ["LimitExceeded", 409, "LimitExceeded"],
    ["LimitExceededException", 409, "LimitExceeded"],
    ["ValidationError", 400, "Validation"],
    ["MalformedPolicyDocumentException", 400, "Validation"],
    ["Throttling", 400, "Throttled"],
    ["AccessDenied", 403, "AccessDenied"],
    ["AccessDeniedException", 403, "AccessDenied"],
    ["InvalidClientTokenId", 403, "Credentials"],
    ["ExpiredToken", 403, "Credentials"],
    ["DeleteConflictException", 409, "Conflict"],
    ["ServiceFailureException", 500, "Unavailable"],
    ["SomethingNew", 503, "Unavailable"],
    ["SomethingNew", 429, "Throttled"],
    ["SomethingNew", 400, "Unknown"],
  ])("%s (%i) → %s", (name, status, kind) => {
    expect(classifyAwsError(sdkError(name, status)).kind).toBe(kind);
  });

  it("names the IAM action the console lacks, from AWS's message or the operation", () => {
    const e = sdkError("AccessDenied", 403, "User: arn:aws:iam::123456789012:user/console is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x");
    expect(deniedAction(e, "iam", "CreateUser")).toBe("iam:CreateUser");
    expect(deniedAction(sdkError("AccessDenied", 403, "Access denied"), "sts", "AssumeRole")).toBe("sts:AssumeRole");
    const mapped = toAwsServiceError(e, "iam", "CreateUser");
    expect(mapped).toBeInstanceOf(ActionError);
    expect(mapped.code).toBe("aws.accessDenied");
    expect(mapped.params).toEqual({ operation: "CreateUser", action: "iam:CreateUser" });
  });

  it("keeps AWS's message text out of the domain error (codes only)", () => {
    const mapped = toAwsServiceError(sdkError("SomethingNew", 400, "secret-looking internal text"), "iam", "ListUsers");
    expect(mapped.code).toBe("aws.unknown");
    expect(JSON.stringify({ ...mapped.params, ...mapped.toDetails() })).not.toContain("internal text");
    expect(mapped.toDetails()).toEqual({ awsOperation: "ListUsers", awsErrorKind: "Unknown", awsErrorCode: "SomethingNew" });
  });

  it("callAws passes results through and translates failures once", async () => {
    await expect(callAws("iam", "GetUser", async () => 42)).resolves.toBe(42);
    const err = await callAws("iam", "GetUser", async () => {
      throw sdkError("NoSuchEntityException", 404);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsServiceError);
    expect((err as AwsServiceError).kind).toBe("NotFound");
    expect(toAwsServiceError(err, "iam", "Other")).toBe(err);
  });
});
