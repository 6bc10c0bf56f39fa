import { existsSync, readFileSync } from "node:fs";
import { e2eEnv, expect, test } from "./support/fixtures";
import { generateShortTerm, issueKey, recordedSecrets } from "./support/key-journeys";

// Runs last (the name sorts after every other spec; one worker runs files in order). Every secret
// the journeys revealed — long-term keys, their resets, short-term tokens — must appear nowhere
// but in the reveal itself: not in the database file, the server log, the audit export, nor the
// HTML of any console page fetched afterwards. It reveals one key of each kind itself, so it
// means something when run alone too.

const MIN_NEEDLE = 16;

/** The secret and the parts of it that would betray it if stored in another form. */
function needles(secret: string): string[] {
  const out = [secret];
  if (secret.startsWith("ABSK")) {
    const body = secret.slice(4);
    out.push(body);
    const decoded = Buffer.from(body, "base64").toString("utf8");
    const random = decoded.slice(decoded.indexOf(":") + 1);
    out.push(random);
  } else if (secret.startsWith("bedrock-api-key-")) {
    const body = secret.slice("bedrock-api-key-".length);
    out.push(body);
    const url = new URL(`https://${Buffer.from(body, "base64").toString("utf8")}`);
    for (const param of ["X-Amz-Signature", "X-Amz-Security-Token"]) {
      const value = url.searchParams.get(param);
      if (value) out.push(value, encodeURIComponent(value));
    }
  }
  return out.filter((n) => n.length >= MIN_NEEDLE);
}

function expectAbsent(where: string, haystack: string | Buffer, secrets: string[]) {
  const found = secrets.filter((secret) => needles(secret).some((n) => haystack.includes(n)));
  expect(found.map((s) => `${s.slice(0, 12)}… found in ${where}`)).toEqual([]);
}

test("no revealed secret is stored, logged, exported or rendered again", async ({ asAdmin, asDeveloper }) => {
  test.setTimeout(120_000);
  await issueKey(asAdmin, { name: `Leak check ${Date.now()}`, owner: "Dana Developer (dev@demo.local)" });
  await generateShortTerm(asDeveloper);
  const secrets = recordedSecrets();
  expect(secrets.length).toBeGreaterThanOrEqual(2);
  const env = e2eEnv();

  // The database file must be there: a check that quietly skips a missing file proves nothing.
  expect(existsSync(env.dbFile), `the database file ${env.dbFile} exists`).toBe(true);
  expectAbsent(env.dbFile, readFileSync(env.dbFile), secrets);
  // The write-ahead log exists only while it holds pages not yet checkpointed into the file.
  const wal = `${env.dbFile}-wal`;
  if (existsSync(wal)) expectAbsent(wal, readFileSync(wal), secrets);
  expect(existsSync(env.logFile), "the server log exists").toBe(true);
  expectAbsent("the server log", readFileSync(env.logFile), secrets);

  const auditCsv = await asAdmin.request.get("/audit/export");
  expect(auditCsv.ok()).toBe(true);
  const auditText = await auditCsv.text();
  expect(auditText).toContain("keys.issue");
  expectAbsent("the audit export", auditText, secrets);
  const keysCsv = await asAdmin.request.get("/keys/export?presence=all");
  expectAbsent("the keys export", await keysCsv.text(), secrets);

  const inventory = await asAdmin.request.get("/keys?presence=all&pageSize=100");
  const inventoryHtml = await inventory.text();
  const keyIds = [...new Set([...inventoryHtml.matchAll(/href="\/keys\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!))].filter((id) => id !== "new" && id !== "export");
  expect(keyIds.length).toBeGreaterThan(0);
  const pages = ["/", "/keys", "/keys?presence=all&pageSize=100", ...keyIds.map((id) => `/keys/${id}`), "/audit", "/short-term-keys", "/inspect", "/users"];
  for (const path of pages) {
    const response = await asAdmin.request.get(path);
    expect(response.status(), path).toBe(200);
    expectAbsent(`the HTML of ${path} (admin)`, await response.text(), secrets);
  }
  for (const path of ["/", "/keys", "/short-term-keys"]) {
    const response = await asDeveloper.request.get(path);
    expectAbsent(`the HTML of ${path} (developer)`, await response.text(), secrets);
  }
});
