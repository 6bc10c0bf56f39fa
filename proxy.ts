import { NextResponse, type NextRequest } from "next/server";
import { checkActionBody, checkActionHeaders, createRejectionLog, type ActionRejection } from "@/lib/http/action-guard";
import { idpFormOrigins } from "@/lib/sso/form-origins";

const logRejection = createRejectionLog((line) => console.warn(JSON.stringify({ level: 40, app: "bedrock-key-console", ...line })));

function refuse(rejection: ActionRejection): NextResponse {
  logRejection(rejection.kind);
  return new NextResponse(`Request refused (${rejection.kind}).`, { status: rejection.status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * With SSO configured, the IdP's origins go into `form-action`: the SSO button and sign-out are
 * forms whose answers redirect to the IdP (its authorization and end-session endpoints, from its
 * discovery document: lib/sso/form-origins.ts), and `form-action` governs a form's redirects too.
 * Without them, a click before the page's scripts had run (a slow network, or no JavaScript) was
 * blocked by the browser, and the button seemed to do nothing.
 */
const issuer = process.env.OIDC_ISSUER;

/**
 * Security headers that need the request: a fresh CSP nonce per response (Next applies it to its
 * own scripts), and HSTS only when the console is served over HTTPS. Authentication is NOT done
 * here: every page, action and route handler checks the session itself (lib/auth/session.ts).
 */
export async function proxy(request: NextRequest) {
  // Server-action calls: refuse malformed ones before the framework decodes them (lib/http/action-guard.ts).
  if (request.method === "POST" && request.headers.has("next-action")) {
    const rejected = checkActionHeaders(request.headers);
    if (rejected) return refuse(rejected);
    if ((request.headers.get("content-type") ?? "").toLowerCase().startsWith("text/plain")) {
      const body = await request.clone().text();
      const badBody = checkActionBody(body);
      if (badBody) return refuse(badBody);
    }
  }
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === "development";
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Radix and Recharts position elements with inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...(issuer ? await idpFormOrigins(issuer) : [])].join(" "),
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
