import { afterAll, describe, expect, it, vi } from "vitest";
import { startTestIdp, type TestIdp } from "@/tests/support/idp";
import { idpFormOrigins } from "./form-origins";

// The page's form-action against a real OpenID provider (idp/main.mjs): the SSO button's and
// sign-out's answers redirect to the IdP's authorization and end-session endpoints, which the
// browser checks against form-action through the redirect.
const idps: TestIdp[] = [];
afterAll(async () => {
  await Promise.all(idps.map((idp) => idp.stop()));
});

describe("idpFormOrigins", () => {
  it("allows the IdP's sign-in origin when it is not the issuer's (as AWS Cognito's hosted sign-in)", async () => {
    const idp = await startTestIdp({ loginPort: true });
    idps.push(idp);
    expect(idp.loginOrigin).not.toBe(idp.issuer);
    expect(await idpFormOrigins(idp.issuer)).toEqual([idp.issuer, idp.loginOrigin]);
  });

  it("is the issuer's origin alone when the endpoints are there", async () => {
    const idp = await startTestIdp();
    idps.push(idp);
    expect(await idpFormOrigins(`${idp.issuer}/`)).toEqual([idp.issuer]);
  });

  it("keeps what it learnt while the IdP cannot be reached, asks again a minute later, and learns a change", async () => {
    const idp = await startTestIdp({ loginPort: true });
    const both = [idp.issuer, idp.loginOrigin];
    expect(await idpFormOrigins(idp.issuer)).toEqual(both);
    await idp.stop();
    const now = Date.now();
    const clock = vi.spyOn(Date, "now");
    try {
      // Eleven minutes on, the answer is stale: the one in hand is used while discovery is asked
      // again, which fails (nothing listens) and keeps it.
      clock.mockReturnValue(now + 11 * 60_000);
      expect(await idpFormOrigins(idp.issuer)).toEqual(both);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await idpFormOrigins(idp.issuer)).toEqual(both);
      // The IdP is back, its sign-in pages now at the issuer's origin: asked again after a minute.
      const back = await startTestIdp({ port: Number(new URL(idp.issuer).port) });
      idps.push(back);
      clock.mockReturnValue(now + 12 * 60_000 + 1);
      let seen = await idpFormOrigins(idp.issuer);
      for (let i = 0; i < 40 && seen.length > 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = await idpFormOrigins(idp.issuer);
      }
      expect(seen).toEqual([idp.issuer]);
    } finally {
      clock.mockRestore();
    }
  });

  it("never holds a page long for an IdP that cannot be reached", async () => {
    // Nothing listens there: the issuer's origin, at once.
    const started = Date.now();
    expect(await idpFormOrigins("http://127.0.0.1:9/down")).toEqual(["http://127.0.0.1:9"]);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await idpFormOrigins("not a url")).toEqual([]);
  });
});
