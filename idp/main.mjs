#!/usr/bin/env node
/**
 * A small OpenID Provider for the browser tests and the demo (issue 13), built on the certified
 * `oidc-provider`. Its own process; it knows nothing of the console, which talks to it as to any
 * standards-compliant IdP (discovery, authorization code + PKCE, state, nonce, ID token with a
 * `groups` claim, RP-initiated logout).
 *
 * Settings (environment):
 *   IDP_PORT (default 4400), IDP_ISSUER (default http://127.0.0.1:<port>)
 *   IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_REDIRECT_URIS (comma-separated), IDP_POST_LOGOUT_URIS
 *   IDP_USERS: JSON [{ "email", "name", "groups": [..] }] (default: the demo's SSO users)
 * The login page is oidc-provider's development interaction: type a known email (any password).
 *
 * Control (tests): POST /_idp/users/<email>/groups {"groups": [...]}   change a user's groups
 *                  POST /_idp/users {"email","name","groups"}            add a user
 *                  GET  /_idp/health
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import Provider from "oidc-provider";

const port = Number(process.env.IDP_PORT ?? 4400);
const issuer = process.env.IDP_ISSUER ?? `http://127.0.0.1:${port}`;
const clientId = process.env.IDP_CLIENT_ID ?? "bedrock-key-console";
const clientSecret = process.env.IDP_CLIENT_SECRET ?? "idp-demo-secret-not-for-production";
const redirectUris = (process.env.IDP_REDIRECT_URIS ?? "http://localhost:3000/api/auth/callback/oidc").split(",").map((s) => s.trim()).filter(Boolean);
const logoutUris = (process.env.IDP_POST_LOGOUT_URIS ?? redirectUris.map((u) => new URL("/signin", u).toString()).join(",")).split(",").filter(Boolean);

const DEFAULT_USERS = [
  { email: "ana.admin@sso.demo.local", name: "Ana Admin (SSO)", groups: ["console-admins"] },
  { email: "leo.lead@sso.demo.local", name: "Leo Lead (SSO)", groups: ["payments-leads"] },
  { email: "dev.sso@sso.demo.local", name: "Devi Developer (SSO)", groups: ["payments-devs"] },
  { email: "nobody@sso.demo.local", name: "No Groups (SSO)", groups: ["marketing"] },
];
const users = new Map((process.env.IDP_USERS ? JSON.parse(process.env.IDP_USERS) : DEFAULT_USERS).map((u) => [u.email.toLowerCase(), u]));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: logoutUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  async findAccount(_ctx, id) {
    const user = users.get(String(id).toLowerCase());
    if (!user) return undefined;
    return {
      accountId: user.email,
      async claims() {
        const current = users.get(user.email.toLowerCase()) ?? user;
        return { sub: current.email, email: current.email, email_verified: true, name: current.name, groups: current.groups };
      },
    };
  },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  // The ID token carries every granted claim (groups included), as Okta or Entra ID can be set to.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
  // No consent screen: the console is a first-party application of this IdP.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
const callback = provider.callback();

function json(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", issuer);
  if (url.pathname.startsWith("/_idp/")) {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      try {
        if (req.method === "GET" && url.pathname === "/_idp/health") return json(res, 200, { ok: true, users: users.size });
        const m = /^\/_idp\/users\/([^/]+)\/groups$/.exec(url.pathname);
        if (req.method === "POST" && m) {
          const user = users.get(decodeURIComponent(m[1]).toLowerCase());
          if (!user) return json(res, 404, { message: "no such user" });
          user.groups = JSON.parse(body || "{}").groups ?? [];
          return json(res, 200, user);
        }
        if (req.method === "POST" && url.pathname === "/_idp/users") {
          const u = JSON.parse(body || "{}");
          if (typeof u.email !== "string") return json(res, 400, { message: "email required" });
          users.set(u.email.toLowerCase(), { email: u.email, name: u.name ?? u.email, groups: u.groups ?? [] });
          return json(res, 201, users.get(u.email.toLowerCase()));
        }
        return json(res, 404, { message: "no such route" });
      } catch (error) {
        return json(res, 400, { message: error.message });
      }
    });
    return;
  }
  callback(req, res);
});
server.listen(port, "127.0.0.1", () => console.log(`OpenID provider on ${issuer} (client ${clientId}; ${users.size} users)`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
