#!/usr/bin/env node
// A small, real OpenID provider for the browser tests and the demo: the certified `oidc-provider`
// package with users and groups from a JSON file, a plain HTML login form, PKCE (S256) required,
// a `groups` claim in the ID token and RP-initiated logout. Its own process: it knows nothing of
// the console, which reaches it only through OIDC_ISSUER (discovery), like any other provider.
//
// Settings (environment):
//   IDP_PORT                      port (default 4400); IDP_HOST (default 127.0.0.1)
//   IDP_ISSUER                    issuer URL (default http://127.0.0.1:<port>)
//   IDP_USERS_FILE                JSON file {"users":[{email,name,password,groups}]} (default idp/users.json)
//   IDP_CLIENT_ID / IDP_CLIENT_SECRET        the one registered client (default console / console-secret)
//   IDP_REDIRECT_URIS             comma-separated redirect URIs (default http://localhost:3000/api/auth/callback/oidc)
//   IDP_POST_LOGOUT_REDIRECT_URIS comma-separated (default http://localhost:3000/signin)
//   IDP_LOGIN_PORT                a second port for the pages a browser visits (authorization, the
//                                 login form, end-session), named in discovery instead of the issuer's
//                                 origin: as AWS Cognito, whose hosted sign-in is on another host
//                                 than its issuer (unset: one port for everything)
//
// Control endpoints (for tests; loopback only): POST /_idp/users {email,name,password,groups},
// POST /_idp/users/<email>/groups {groups:[...]}, GET /_idp/health, and POST /_idp/faults
// {idToken: "tampered"|"alg-none"|"wrong-aud"|"wrong-iss"|"expired"}: the next token response
// carries a broken ID token, as an attacker or a misconfigured IdP would send it.
import { createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Provider from "oidc-provider";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const port = Number(env.IDP_PORT || 4400);
const host = env.IDP_HOST || "127.0.0.1";
const issuer = (env.IDP_ISSUER || `http://127.0.0.1:${port}`).replace(/\/$/, "");
const loginPort = env.IDP_LOGIN_PORT ? Number(env.IDP_LOGIN_PORT) : null;
const loginOrigin = loginPort ? (() => { const u = new URL(issuer); u.port = String(loginPort); return u.origin; })() : null;
const list = (v, fallback) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : fallback);

/** email (lower case) → { email, name, password, groups } */
const users = new Map();
for (const u of JSON.parse(readFileSync(env.IDP_USERS_FILE || path.join(here, "users.json"), "utf8")).users ?? []) {
  users.set(String(u.email).toLowerCase(), { email: String(u.email).toLowerCase(), name: String(u.name ?? u.email), password: String(u.password), groups: [...(u.groups ?? [])].map(String) });
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f1f5f9;margin:0;padding:48px 16px}main{max-width:360px;margin:0 auto;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:24px}
label{display:block;font-size:14px;margin:12px 0 4px}input{width:100%;box-sizing:border-box;padding:8px;border:1px solid #cbd5e1;border-radius:6px}button{margin-top:16px;width:100%;padding:10px;border:0;border-radius:6px;background:#4f46e5;color:#fff;font-weight:600;cursor:pointer}.err{color:#b91c1c;font-size:14px}</style></head>
<body><main>${body}</main></body></html>`;

// Signing key made at start: nothing to keep on disk, and a restart logs everyone out (fine for tests and the demo).
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: randomBytes(6).toString("hex"), use: "sig", alg: "RS256" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env.IDP_CLIENT_ID || "console",
      client_secret: env.IDP_CLIENT_SECRET || "console-secret",
      redirect_uris: list(env.IDP_REDIRECT_URIS, ["http://localhost:3000/api/auth/callback/oidc"]),
      post_logout_redirect_uris: list(env.IDP_POST_LOGOUT_REDIRECT_URIS, ["http://localhost:3000/signin"]),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      id_token_signed_response_alg: "RS256",
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  // Confidential client, but PKCE is still required of it (S256 is the only method oidc-provider allows).
  pkce: { required: () => true },
  // Claims the scope asks for go into the ID token too (not only userinfo), as Okta's and Entra's groups claim does.
  conformIdTokenClaims: false,
  scopes: ["openid", "email", "profile", "groups"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"], groups: ["groups"] },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      // Signs out without a confirmation click: the console asked for it with the user's ID token.
      logoutSource: async (ctx, form) => {
        ctx.body = page("Signing out", `${form}<p>Signing you out…</p><noscript><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></noscript>
<script>var f=document.getElementById("op.logoutForm");var i=document.createElement("input");i.type="hidden";i.name="logout";i.value="yes";f.appendChild(i);f.submit();</script>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page("Signed out", "<h1>Signed out</h1><p>You are signed out of the identity provider.</p>");
      },
    },
  },
  // Claims are read at issue time, so a group change applies at the next sign-in.
  async findAccount(_ctx, sub) {
    const user = users.get(sub);
    if (!user) return undefined;
    return { accountId: sub, claims: async () => ({ sub, email: user.email, email_verified: true, name: user.name, groups: [...user.groups] }) };
  },
  // First-party client: consent is implied, so no consent screen (the grant covers what was asked).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(" "));
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => {
    ctx.type = "html";
    ctx.body = page("Error", `<h1>Sign-in error</h1><p class="err">${esc(out.error)}: ${esc(out.error_description ?? "")}</p>`);
  },
});
provider.on("server_error", (_ctx, err) => console.error("[idp] server_error", err));

/** One-shot fault for the next token response (POST /_idp/faults). */
let idTokenFault = null;
const FAULTS = ["tampered", "alg-none", "wrong-aud", "wrong-iss", "expired"];
const b64u = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const sign = (header, payload) => {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url")}`;
};
function breakIdToken(idToken, fault) {
  const [h, p, sig] = idToken.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url").toString());
  const payload = JSON.parse(Buffer.from(p, "base64url").toString());
  const now = Math.floor(Date.now() / 1000);
  switch (fault) {
    case "tampered": // a claim changed after signing: the signature no longer matches
      return `${h}.${b64u({ ...payload, groups: [...(payload.groups ?? []), "console-admins"] })}.${sig}`;
    case "alg-none":
      return `${b64u({ alg: "none", typ: "JWT" })}.${p}.`;
    case "wrong-aud": // validly signed, for another client
      return sign(header, { ...payload, aud: "some-other-client" });
    case "wrong-iss":
      return sign(header, { ...payload, iss: "https://idp.attacker.example" });
    case "expired":
      return sign(header, { ...payload, iat: now - 7200, exp: now - 3600 });
    default:
      return idToken;
  }
}
/** Rewrites the ID token in the JSON body oidc-provider is about to send (headers not yet sent). */
function injectFault(res, fault) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    try {
      const body = JSON.parse(Buffer.isBuffer(chunk) ? chunk.toString() : String(chunk));
      if (body.id_token) {
        body.id_token = breakIdToken(body.id_token, fault);
        const text = JSON.stringify(body);
        if (!res.headersSent) res.setHeader("content-length", Buffer.byteLength(text));
        return end(text, ...rest);
      }
    } catch {
      // not JSON: send as it is
    }
    return end(chunk, ...rest);
  };
}

const readBody = (req) =>
  new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c) => {
      data += c;
      if (data.length > 100_000) reject(new Error("body too large"));
    });
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
const send = (res, status, body, type = "application/json") => {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(type === "application/json" ? JSON.stringify(body) : body);
};
const loopback = (req) => ["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? "");

async function control(req, res, url) {
  if (!loopback(req)) return send(res, 403, { error: "control endpoints answer loopback only" });
  if (url.pathname === "/_idp/health") return send(res, 200, { ok: true, issuer, users: users.size });
  if (req.method !== "POST") return send(res, 405, { error: "POST only" });
  let body;
  try {
    body = JSON.parse((await readBody(req)) || "{}");
  } catch {
    return send(res, 400, { error: "body must be JSON" });
  }
  if (url.pathname === "/_idp/faults") {
    if (!FAULTS.includes(body.idToken)) return send(res, 400, { error: `idToken must be one of ${FAULTS.join(", ")}` });
    idTokenFault = body.idToken;
    return send(res, 200, { idToken: idTokenFault });
  }
  const groups = Array.isArray(body.groups) ? body.groups.map(String) : null;
  if (url.pathname === "/_idp/users") {
    const email = String(body.email ?? "").toLowerCase();
    if (!email.includes("@") || typeof body.password !== "string" || !groups) return send(res, 400, { error: "email, password and groups[] are required" });
    users.set(email, { email, name: String(body.name ?? email), password: body.password, groups });
    return send(res, 201, { email, groups });
  }
  const m = url.pathname.match(/^\/_idp\/users\/([^/]+)\/groups$/);
  if (m) {
    const user = users.get(decodeURIComponent(m[1]).toLowerCase());
    if (!user) return send(res, 404, { error: "no such user" });
    if (!groups) return send(res, 400, { error: "groups[] is required" });
    user.groups = groups;
    return send(res, 200, { email: user.email, groups });
  }
  return send(res, 404, { error: "not found" });
}

function loginForm(uid, { email = "", error = "", client = "" } = {}) {
  return page(
    "Sign in — test IdP",
    `<h1>Sign in</h1><p>to continue to ${esc(client)}</p>${error ? `<p class="err" role="alert">${esc(error)}</p>` : ""}
<form method="post" action="/interaction/${esc(uid)}/login">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" value="${esc(email)}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
  );
}

async function interaction(req, res, url) {
  try {
    const details = await provider.interactionDetails(req, res);
    const uid = details.uid;
    const client = details.params.client_id;
    if (req.method === "GET") return send(res, 200, loginForm(uid, { client }), "text/html; charset=utf-8");
    if (req.method === "POST" && url.pathname.endsWith("/login")) {
      const form = new URLSearchParams(await readBody(req));
      const email = String(form.get("email") ?? "").trim().toLowerCase();
      const user = users.get(email);
      if (!user || user.password !== form.get("password")) {
        return send(res, 200, loginForm(uid, { email, error: "Wrong email or password.", client }), "text/html; charset=utf-8");
      }
      return await provider.interactionFinished(req, res, { login: { accountId: user.email } }, { mergeWithLastSubmission: false });
    }
    return send(res, 405, "method not allowed", "text/plain");
  } catch (err) {
    // An expired or unknown interaction (e.g. the back button after signing in).
    return send(res, 400, page("Sign-in expired", `<p class="err">${esc(err.message)}</p><p>Start again from the application.</p>`), "text/html; charset=utf-8");
  }
}

/** With IDP_LOGIN_PORT: discovery names the login origin for the endpoints a browser is sent to. */
function pointBrowserEndpointsAtLoginOrigin(res) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    if (res.statusCode !== 200 || chunk === undefined) return end(chunk, ...rest);
    const doc = JSON.parse(String(chunk));
    for (const key of ["authorization_endpoint", "end_session_endpoint"]) {
      if (doc[key]) doc[key] = loginOrigin + new URL(doc[key]).pathname;
    }
    const body = JSON.stringify(doc);
    res.setHeader("content-length", Buffer.byteLength(body));
    return end(body);
  };
}

const callback = provider.callback();
const handler = (req, res) => {
  const url = new URL(req.url ?? "/", issuer);
  if (url.pathname.startsWith("/_idp/")) return void control(req, res, url).catch((e) => send(res, 500, { error: e.message }));
  if (url.pathname.startsWith("/interaction/")) return void interaction(req, res, url);
  if (idTokenFault && req.method === "POST" && url.pathname === "/token") {
    injectFault(res, idTokenFault);
    idTokenFault = null;
  }
  if (loginOrigin && url.pathname === "/.well-known/openid-configuration") pointBrowserEndpointsAtLoginOrigin(res);
  return callback(req, res);
};
// The provider builds its URLs from each request's host (its resume and interaction pages stay at
// the origin the browser came to), and cookies ignore the port: one handler serves both ports.
const servers = [http.createServer(handler), ...(loginPort ? [http.createServer(handler)] : [])];
servers[0].listen(port, host, () => console.log(`[idp] OpenID provider ${issuer} (${users.size} users) listening on ${host}:${port}`));
if (loginPort) servers[1].listen(loginPort, host, () => console.log(`[idp] sign-in pages at ${loginOrigin} (listening on ${host}:${loginPort})`));
const stop = () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))).then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
