import { expect, test } from "./support/fixtures";

test("pages carry a nonce-based CSP and the other security headers", async ({ request }) => {
  const first = await request.get("/signin");
  const second = await request.get("/signin");
  const csp = first.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  // a fresh nonce per response
  expect(second.headers()["content-security-policy"]).not.toBe(csp);
  expect(first.headers()["x-content-type-options"]).toBe("nosniff");
  expect(first.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // served over plain http here, so no HSTS (it would be sent over https)
  expect(first.headers()["strict-transport-security"]).toBeUndefined();
  const html = await first.text();
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(html).toContain(`nonce="${nonce}"`);
});

test("HSTS is sent when the console is reached over https", async ({ request }) => {
  const response = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
  expect(response.headers()["strict-transport-security"]).toContain("max-age=");
});

test("a malformed request gets a clean answer, never a 500", async ({ request }) => {
  for (const path of ["/%E0%A4%A", "/audit?from=not-a-date&page=-5", "/users?x=" + "a".repeat(3000), "/api/auth/session?x=%00"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(500);
  }
  const post = await request.post("/signin", { data: "garbage", headers: { "content-type": "application/x-www-form-urlencoded", "next-action": "deadbeef" } });
  expect(post.status()).toBeLessThan(500);
});
