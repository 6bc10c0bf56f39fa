import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/schema";
import { isForbiddenAddress } from "./address";
import { escapeChatText } from "./deliver";
import { checkWebhookUrl, postWebhook, type Resolver, WebhookRefused } from "./transport";

let server: Server;
let port: number;
let hits = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => new Promise<void>((r) => server.close(() => r())));

const noDns: Resolver = async () => {
  throw Object.assign(new Error("no DNS in this test"), { code: "ENOTFOUND" });
};
const dns = (table: Record<string, string[]>): Resolver => async (host) => (table[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
const message = { body: "{}", headers: { "content-type": "application/json" }, timeoutMs: 2_000 };

describe("isForbiddenAddress", () => {
  it.each([
    "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
    "169.254.169.254", "169.254.0.1", "224.0.0.1", "239.255.255.250", "255.255.255.255",
    "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:a9fe:a9fe::1",
  ])("refuses %s", (ip) => expect(isForbiddenAddress(ip)).toBe(true));

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])("allows %s", (ip) =>
    expect(isForbiddenAddress(ip)).toBe(false),
  );
});

describe("postWebhook refuses loopback and link-local in every spelling, before connecting", () => {
  it.each([
    (p: number) => `http://127.1:${p}/hook`,
    (p: number) => `http://2130706433:${p}/hook`,
    (p: number) => `http://0x7f000001:${p}/hook`,
    (p: number) => `http://017700000001:${p}/hook`,
    (p: number) => `http://127.0.0.1:${p}/hook`,
    (p: number) => `http://[::1]:${p}/hook`,
    (p: number) => `http://[::ffff:127.0.0.1]:${p}/hook`,
    (p: number) => `http://0.0.0.0:${p}/hook`,
    () => "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    () => "http://[fd00:ec2::254]/latest/meta-data/",
  ])("%#: refused as 'address not allowed'", async (spell) => {
    const before = hits;
    const error = await postWebhook(spell(port), message, { allowedHosts: [], resolve: noDns }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookRefused);
    expect((error as Error).message).toBe("refused: address not allowed");
    expect(hits).toBe(before);
  });

  it("refuses localhost, which resolves to loopback (checked in the connection's own lookup)", async () => {
    const error = await postWebhook(`https://localhost:${port}/hook`, message, { allowedHosts: [], resolve: dns({ localhost: ["127.0.0.1", "::1"] }) }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("refused: address not allowed");
  });

  it("refuses a name when any of its addresses is internal", async () => {
    const error = await postWebhook(`https://mixed.example.test:${port}/`, message, { allowedHosts: [], resolve: dns({ "mixed.example.test": ["93.184.215.14", "10.0.0.5"] }) }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("refused: address not allowed");
  });

  it("DNS rebinding: public at the save-time check, loopback when connecting — refused, and the receiver is never reached", async () => {
    let calls = 0;
    const rebinding: Resolver = async () => [{ address: calls++ === 0 ? "93.184.215.14" : "127.0.0.1", family: 4 }];
    const url = `https://rebind.example.test:${port}/hook`;
    expect(await checkWebhookUrl(url, { allowedHosts: [], resolve: rebinding })).toBeNull();
    const before = hits;
    const error = await postWebhook(url, message, { allowedHosts: [], resolve: rebinding }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("refused: address not allowed");
    expect(calls).toBe(2);
    expect(hits).toBe(before);
  });

  it("requires https for hosts not on the allow-list", async () => {
    expect(await checkWebhookUrl("http://hooks.example.com/x", { allowedHosts: [], resolve: dns({ "hooks.example.com": ["93.184.215.14"] }) })).toBe("scheme");
    const error = await postWebhook("http://hooks.example.com/x", message, { allowedHosts: [], resolve: noDns }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("refused: https required");
  });
});

describe("the allow-list (WEBHOOK_ALLOWED_HOSTS)", () => {
  it("lets an allowed name reach an internal address over http — connecting to the address our lookup returned", async () => {
    const before = hits;
    const status = await postWebhook(`http://hooks.internal.test:${port}/hook`, message, { allowedHosts: ["hooks.internal.test"], resolve: dns({ "hooks.internal.test": ["127.0.0.1"] }) });
    expect(status).toBe(200);
    expect(hits).toBe(before + 1);
  });

  it("matches IP spellings after normalisation, from the setting as an admin writes it", async () => {
    const { WEBHOOK_ALLOWED_HOSTS } = parseConfig({ AUTH_SECRET: "x".repeat(32), WEBHOOK_ALLOWED_HOSTS: "127.1, Hooks.Internal.Test ,[::1]" });
    expect(WEBHOOK_ALLOWED_HOSTS).toEqual(["127.0.0.1", "hooks.internal.test", "::1"]);
    expect(await postWebhook(`http://2130706433:${port}/hook`, message, { allowedHosts: WEBHOOK_ALLOWED_HOSTS, resolve: noDns })).toBe(200);
    expect(await checkWebhookUrl(`http://[::1]:${port}/`, { allowedHosts: WEBHOOK_ALLOWED_HOSTS, resolve: noDns })).toBeNull();
  });

  it("rejects entries with ports or paths at start-up", () => {
    expect(() => parseConfig({ AUTH_SECRET: "x".repeat(32), WEBHOOK_ALLOWED_HOSTS: "hooks.internal.test:8080" })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });
});

describe("escapeChatText", () => {
  it("neutralises Slack control sequences and broadcast mentions", () => {
    expect(escapeChatText("<!channel> hi <@U1> <!here|here> @here @Channel @everyone a&b")).toBe(
      "&lt;!channel&gt; hi &lt;@U1&gt; &lt;!here|here&gt; @\u200Bhere @\u200BChannel @\u200Beveryone a&amp;b",
    );
    expect(escapeChatText("dev-a asked for a key: “Bot”. https://keys.example.com/requests/1")).toBe("dev-a asked for a key: “Bot”. https://keys.example.com/requests/1");
  });
});
