import http2 from "node:http2";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../server.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});

/** Sends raw bytes in separate writes and returns everything the server answers. */
function raw(parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(sandbox.port, "127.0.0.1");
    let out = "";
    socket.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("\r\n\r\n") && /content-length: (\d+)/i.test(out)) {
        const len = Number(/content-length: (\d+)/i.exec(out)![1]);
        if (out.length - out.indexOf("\r\n\r\n") - 4 >= len) socket.end();
      }
    });
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
    (async () => {
      for (const p of parts) {
        socket.write(p);
        await new Promise((r) => setTimeout(r, 20));
      }
    })().catch(reject);
  });
}

describe("HTTP/1.1 and HTTP/2 on one port", () => {
  it("routes an HTTP/1.1 request whose first bytes trickle in", async () => {
    const answer = await raw(["P", "OS", "T /model/x/converse HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}"]);
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    expect(answer).toContain("MissingAuthenticationTokenException");
  });

  it("answers cleartext HTTP/2 with prior knowledge, host taken from :authority", async () => {
    const client = http2.connect(sandbox.url);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = client.request({ ":method": "GET", ":path": "/_sandbox/health" });
      let body = "";
      let status = 0;
      req.on("response", (h) => (status = Number(h[":status"])));
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => resolve({ status, body }));
      req.on("error", reject);
      req.end();
    });
    client.close();
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ ok: true });
  });

  it("closes connections that never said anything when the sandbox closes", async () => {
    const other = await createSandbox({ port: 0 });
    const socket = net.connect(other.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    const closed = new Promise((r) => socket.once("close", r));
    await other.close();
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});
