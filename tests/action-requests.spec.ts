import { existsSync, readFileSync } from "node:fs";
import { e2eEnv, expect, test } from "./support/fixtures";

// Requests that look like server-action calls but are malformed — garbage bodies, absurd nesting,
// huge bodies, a foreign Origin, an unknown action id — are answered with a 4xx before any action
// runs, anonymously or not, and the server log gets no stack trace for them (at most one line per
// minute per kind, with a count).

// A real action of this build (from Next's manifest), so the bodies reach the decoding step, and
// one that has the shape of an id but belongs to no action.
const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, unknown> };
const REAL_ID = Object.keys(manifest.node)[0]!;
const UNKNOWN_ID = "7f".repeat(21);

function probes(origin: string) {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const big = "x".repeat(1_100_000);
  return [
    { kind: "garbage body", headers: { "next-action": REAL_ID, "content-type": "text/plain;charset=UTF-8", origin }, data: "{not json" },
    { kind: "deep JSON", headers: { "next-action": REAL_ID, "content-type": "text/plain;charset=UTF-8", origin }, data: deep },
    { kind: "over 1 MB", headers: { "next-action": REAL_ID, "content-type": "text/plain;charset=UTF-8", origin }, data: big },
    { kind: "foreign origin", headers: { "next-action": REAL_ID, "content-type": "text/plain;charset=UTF-8", origin: "https://evil.example" }, data: "[]" },
    { kind: "wrong content type", headers: { "next-action": REAL_ID, "content-type": "application/xml", origin }, data: "<a/>" },
    { kind: "unknown action", headers: { "next-action": UNKNOWN_ID, "content-type": "text/plain;charset=UTF-8", origin }, data: "[]" },
    { kind: "malformed action id", headers: { "next-action": "../../etc/passwd", "content-type": "text/plain;charset=UTF-8", origin }, data: "[]" },
  ];
}

test("malformed action requests get a 4xx and leave no stack trace in the log", async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const readLog = () => [e2eEnv().logFile, e2eEnv().consoleFile].map((f) => (existsSync(f) ? readFileSync(f, "utf8") : "")).join("\n");
  const before = readLog().split("\n").length;
  const statuses: Record<string, number> = {};
  for (const path of ["/", "/keys", "/signin"]) {
    for (const probe of probes(origin)) {
      const response = await request.post(path, { headers: probe.headers, data: probe.data, maxRedirects: 0 });
      statuses[`${probe.kind} ${path}`] = response.status();
    }
  }
  for (const [what, status] of Object.entries(statuses)) {
    expect(status, what).toBeGreaterThanOrEqual(400);
    expect(status, what).toBeLessThan(500);
  }
  const log = readLog().split("\n").slice(before).join("\n");
  expect(log).not.toMatch(/^\s+at /m);
  // One line per kind of refusal, not one per request.
  expect(log.split("\n").filter((l) => l.includes("action request")).length).toBeLessThanOrEqual(7);
});
