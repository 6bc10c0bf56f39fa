import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceSpecificCredentialCommand,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateServiceSpecificCredentialCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { now } from "../clock.js";
import { awsError, control, startSandbox } from "../testing/clients.js";
import { authenticateBedrockApiKey } from "./credentials.js";

type S = Awaited<ReturnType<typeof startSandbox>>;
let s: S;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.close());
beforeEach(async () => {
  await control(s.url, "POST", "reset");
  await s.iam.send(new CreateUserCommand({ UserName: "BedrockAPIKey-ab12" }));
});

const BEDROCK = "bedrock.amazonaws.com";
const USER = "BedrockAPIKey-ab12";

const err = awsError;

const create = (ageDays?: number, user = USER) =>
  s.iam.send(
    new CreateServiceSpecificCredentialCommand({
      UserName: user,
      ServiceName: BEDROCK,
      ...(ageDays !== undefined ? { CredentialAgeDays: ageDays } : {}),
    }),
  );

describe("Bedrock long-term keys (service-specific credentials)", () => {
  it("returns the key once, in AWS's ABSK format, and authenticates it", async () => {
    const { ServiceSpecificCredential: c } = await create(30);
    expect(c).toMatchObject({ ServiceName: BEDROCK, UserName: USER, Status: "Active", ServiceCredentialAlias: `${USER}-at-123456789012` });
    expect(c!.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{17}$/);
    expect(c!.ExpirationDate!.getTime() - c!.CreateDate!.getTime()).toBe(30 * 86_400_000);
    const key = c!.ServiceCredentialSecret!;
    expect(key.startsWith("ABSK")).toBe(true);
    const decoded = Buffer.from(key.slice(4), "base64").toString("utf8");
    expect(decoded.startsWith(`${USER}-at-123456789012:`)).toBe(true);
    const auth = authenticateBedrockApiKey(s.state, key, now(s.state));
    expect(auth).toMatchObject({ ok: true, userName: USER, credentialId: c!.ServiceSpecificCredentialId });
    const listed = await s.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: USER }));
    expect(JSON.stringify(listed)).not.toContain(key.slice(4));
    expect(listed.ServiceSpecificCredentials?.[0]?.ServiceCredentialAlias).toBe(`${USER}-at-123456789012`);
  });

  it("omitted CredentialAgeDays never expires; out-of-range ages are ValidationErrors", async () => {
    const { ServiceSpecificCredential: c } = await create();
    expect(c!.ExpirationDate).toBeUndefined();
    for (const bad of [0, 36601]) {
      const e = await err(create(bad));
      expect(e.name).toBe("ValidationError");
      expect(e.status).toBe(400);
    }
    await expect(create(36600)).resolves.toBeTruthy();
  });

  it("allows two keys per user and service; the third is LimitExceeded (409)", async () => {
    await create();
    await create(1);
    const e = await err(create());
    expect(e).toMatchObject({
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2",
    });
    const unknown = await err(create(undefined, "nobody"));
    expect(unknown).toMatchObject({ name: "NoSuchEntityException", status: 404 });
  });

  it("derives Expired from the sandbox clock; update accepts Active/Inactive only; reset refused once expired", async () => {
    const { ServiceSpecificCredential: c } = await create(1);
    const id = c!.ServiceSpecificCredentialId!;
    await control(s.url, "POST", "clock", { advanceSeconds: 86_400 + 60 });
    const listed = await s.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: USER, ServiceName: BEDROCK }));
    expect(listed.ServiceSpecificCredentials?.[0]?.Status).toBe("Expired");
    expect(authenticateBedrockApiKey(s.state, c!.ServiceCredentialSecret!, now(s.state))).toEqual({ ok: false, reason: "expired" });
    const e = await err(s.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id })));
    expect(e.name).toBe("InvalidInputException");
    const bad = await err(
      s.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id, Status: "Expired" })),
    );
    expect(bad.name).toBe("ValidationError");
  });

  it("deactivates, reactivates, and reset invalidates the old secret at once", async () => {
    const { ServiceSpecificCredential: c } = await create(7);
    const id = c!.ServiceSpecificCredentialId!;
    const oldKey = c!.ServiceCredentialSecret!;
    await s.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id, Status: "Inactive" }));
    expect(authenticateBedrockApiKey(s.state, oldKey, now(s.state))).toEqual({ ok: false, reason: "inactive" });
    await s.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id, Status: "Active" }));
    expect(authenticateBedrockApiKey(s.state, oldKey, now(s.state)).ok).toBe(true);
    const reset = await s.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id }));
    const newKey = reset.ServiceSpecificCredential!.ServiceCredentialSecret!;
    expect(newKey).not.toBe(oldKey);
    expect(reset.ServiceSpecificCredential!.ServiceSpecificCredentialId).toBe(id);
    expect(authenticateBedrockApiKey(s.state, oldKey, now(s.state))).toEqual({ ok: false, reason: "unknown" });
    expect(authenticateBedrockApiKey(s.state, newKey, now(s.state)).ok).toBe(true);
    expect(authenticateBedrockApiKey(s.state, "ABSK!!", now(s.state))).toEqual({ ok: false, reason: "malformed" });
    await s.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id }));
    expect(authenticateBedrockApiKey(s.state, newKey, now(s.state))).toEqual({ ok: false, reason: "unknown" });
    const e = await err(s.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id })));
    expect(e).toMatchObject({ name: "NoSuchEntityException", status: 404 });
  });

  it("lists across all users with ServiceName filter and MaxItems/Marker paging", async () => {
    for (let i = 0; i < 4; i++) {
      await s.iam.send(new CreateUserCommand({ UserName: `u${i}` }));
      await create(undefined, `u${i}`);
      await create(10, `u${i}`);
    }
    await s.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "u0", ServiceName: "codecommit.amazonaws.com" }));
    const ids: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await s.iam.send(
        new ListServiceSpecificCredentialsCommand({ AllUsers: true, ServiceName: BEDROCK, MaxItems: 3, ...(marker ? { Marker: marker } : {}) }),
      );
      ids.push(...(page.ServiceSpecificCredentials ?? []).map((c) => c.ServiceSpecificCredentialId!));
      marker = page.IsTruncated ? page.Marker : undefined;
      pages++;
    } while (marker);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    const all = await s.iam.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true }));
    expect(all.ServiceSpecificCredentials).toHaveLength(9);
    const e = await err(s.iam.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, MaxItems: 0 })));
    expect(e.name).toBe("ValidationError");
  });

  it("rejects unsupported services with NotSupportedService (404)", async () => {
    const e = await err(s.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: USER, ServiceName: "s3.amazonaws.com" })));
    expect(e).toMatchObject({ name: "ServiceNotSupportedException", status: 404 });
  });
});
