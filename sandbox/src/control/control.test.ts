import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { now } from "../clock.js";
import { authenticateBedrockApiKey } from "../iam/credentials.js";
import { clientsFor, control, startSandbox } from "../testing/clients.js";
import { takeFault } from "./faults.js";

type S = Awaited<ReturnType<typeof startSandbox>>;
let s: S;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.close());
beforeEach(() => control(s.url, "POST", "reset"));

describe("control API", () => {
  it("health, state snapshot without secrets, reset", async () => {
    expect(await control(s.url, "GET", "health")).toMatchObject({ ok: true });
    await s.iam.send(new CreateUserCommand({ UserName: "a" }));
    const cred = await s.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "a", ServiceName: "bedrock.amazonaws.com" }));
    const snap = (await control(s.url, "GET", "state")) as Record<string, unknown>;
    expect(snap).toMatchObject({ accountId: "123456789012", users: [{ userName: "a" }], events: { "us-east-1": 2 } });
    expect(JSON.stringify(snap)).not.toContain(cred.ServiceSpecificCredential!.ServiceCredentialSecret!.slice(8));
    await control(s.url, "POST", "reset");
    expect(((await control(s.url, "GET", "state")) as { events: object }).events).toEqual({});
    expect((await s.iam.send(new ListUsersCommand({}))).Users).toEqual([]);
  });

  it("moves the clock by offset, advance or absolute time", async () => {
    const a = (await control(s.url, "POST", "clock", { offsetSeconds: 3600 })) as { offsetSeconds: number };
    expect(a.offsetSeconds).toBe(3600);
    await control(s.url, "POST", "clock", { advanceSeconds: 60 });
    expect(Math.round(s.state.clockOffsetMs / 1000)).toBe(3660);
    const set = (await control(s.url, "POST", "clock", { set: "2030-01-01T00:00:00Z" })) as { now: string };
    expect(set.now).toBe("2030-01-01T00:00:00Z");
    await expect(control(s.url, "POST", "clock", { set: "not a date" })).rejects.toThrow(/400/);
  });

  it("injects N failures of an operation with a chosen AWS error, then recovers", async () => {
    await s.iam.send(new CreateUserCommand({ UserName: "f" }));
    await control(s.url, "POST", "faults", {
      service: "iam",
      operation: "CreateServiceSpecificCredential",
      count: 1,
      error: { code: "ServiceFailure", status: 500, message: "Injected outage" },
    });
    const call = () => s.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "f", ServiceName: "bedrock.amazonaws.com" }));
    await expect(call()).rejects.toMatchObject({ name: "ServiceFailureException", message: "Injected outage", $metadata: { httpStatusCode: 500 } });
    await expect(call()).resolves.toBeTruthy();
    await control(s.url, "POST", "faults", { service: "iam", operation: "ListUsers", latencyMs: 150 });
    const t0 = Date.now();
    await s.iam.send(new ListUsersCommand({}));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await control(s.url, "DELETE", "faults");
    expect(s.state.faults).toEqual([]);
  });

  it("takeFault is shared with the Bedrock runtime and consumes counts", () => {
    s.state.faults.push({ service: "bedrock", operation: "Converse", remaining: 2, latencyMs: 0, error: { code: "ThrottlingException", status: 429, message: "slow down" } });
    expect(takeFault(s.state, "bedrock", "InvokeModel")).toBeNull();
    expect(takeFault(s.state, "bedrock", "Converse")?.error?.code).toBe("ThrottlingException");
    expect(takeFault(s.state, "bedrock", "Converse")).not.toBeNull();
    expect(takeFault(s.state, "bedrock", "Converse")).toBeNull();
  });

  it("bulk-inserts events and validates them", async () => {
    const t = new Date(Date.now() - 60_000).toISOString();
    const out = (await control(s.url, "POST", "events", {
      events: [{ eventTime: t, eventSource: "bedrock.amazonaws.com", eventName: "Converse", awsRegion: "us-west-2", userIdentity: { type: "IAMUser", userName: "z" } }],
    })) as { inserted: number };
    expect(out.inserted).toBe(1);
    const got = await clientsFor(s.url, undefined, "us-west-2").cloudtrail.send(new LookupEventsCommand({}));
    expect(got.Events?.[0]).toMatchObject({ EventName: "Converse", Username: "z" });
    expect(got.Events?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(control(s.url, "POST", "events", [{ eventName: "x" }])).rejects.toThrow(/400/);
  });
});

describe("persistence", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("survives a restart: users, keys (still valid), clock and events", async () => {
    const statePath = join(dir, "state.json");
    const first = await startSandbox({ statePath });
    await first.iam.send(new CreateUserCommand({ UserName: "persisted" }));
    const cred = await first.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "persisted", ServiceName: "bedrock.amazonaws.com" }));
    await control(first.url, "POST", "clock", { advanceSeconds: 120 });
    await first.close();

    const second = await startSandbox({ statePath });
    try {
      expect((await second.iam.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)).toEqual(["persisted"]);
      expect(authenticateBedrockApiKey(second.state, cred.ServiceSpecificCredential!.ServiceCredentialSecret!, now(second.state)).ok).toBe(true);
      expect(Math.round(second.state.clockOffsetMs / 1000)).toBe(120);
      expect(second.state.events.count("us-east-1")).toBeGreaterThanOrEqual(2);
      await control(second.url, "POST", "reset");
    } finally {
      await second.close();
    }
    const third = await startSandbox({ statePath });
    try {
      expect(third.state.users.size).toBe(0);
      expect(third.state.events.count()).toBe(0);
    } finally {
      await third.close();
    }
  });
});
