import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { appendAudit } from "@/lib/audit/service";
import { log } from "@/lib/log";
import { metaFromHeaders } from "@/lib/http/request-meta";
import { openSession } from "./sessions";
import { verifySignIn } from "./sign-in";
import { groupsFromClaims, ssoSignIn } from "./sso";

const SSO_ERROR_TYPES = new Set(["CallbackRouteError", "OAuthCallbackError", "InvalidCheck", "OAuthSignInError", "OAuthProfileParseError", "InvalidState", "AuthorizedCallbackError"]);

/** The Auth.js provider id of single sign-on; the IdP's redirect URI is <origin>/api/auth/callback/oidc. */
export const SSO_PROVIDER = "oidc";

/** Carries the reason to the sign-in action; the code is one of a fixed set, never user data. */
export class SignInRefused extends CredentialsSignin {
  constructor(code: "invalid" | "locked" | "inactive" | "local_off", readonly retryAfterMinutes?: number) {
    super();
    this.code = retryAfterMinutes ? `${code}:${retryAfterMinutes}` : code;
  }
}

declare module "next-auth" {
  interface Session {
    sessionVersion: number;
    signedInAt: number;
    /** The UserSession row this cookie stands for: signing out revokes it. */
    sessionId: string;
  }
  interface User {
    sessionVersion?: number;
    /** SSO: the groups claim, mapped to a role and teams in the signIn callback. */
    groups?: string[];
  }
}

// JWT strategy: the credentials provider requires it. The token is only a pointer to the user;
// every request re-reads the user (lib/auth/session.ts), so deactivation takes effect at once.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const cfg = config();
  return {
    secret: cfg.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: cfg.SESSION_MAX_AGE_HOURS * 3600 },
    // Errors (a refused IdP callback, an IdP that cannot be reached) come back to the sign-in page
    // as ?error=<Auth.js code>, shown there in words.
    pages: { signIn: "/signin", error: "/signin" },
    useSecureCookies: cfg.SECURE_COOKIES ?? (cfg.AUTH_URL?.startsWith("https://") ?? false),
    logger: {
      // error.type, not error.name: the production build minifies class names ("s"). The type is one
      // of Auth.js's fixed codes (CredentialsSignin, CallbackRouteError, …); never the input.
      error: (error) => {
        const type = (error as { type?: string }).type ?? "unknown";
        log().warn({ authError: type }, "auth error");
        // A refused SSO callback (forged or replayed state, a code used twice, an ID token that does
        // not verify, an IdP that cannot be reached) is a failed sign-in: audited, by its type only.
        if (SSO_ERROR_TYPES.has(type)) {
          void appendAudit(db(), { action: "auth.sign_in", result: "failure", details: { method: "sso", reason: type } }).catch(() => undefined);
        }
      },
      warn: (code) => log().warn({ code }, "auth warning"),
      debug: () => {},
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(credentials, request) {
          const outcome = await verifySignIn(
            db(),
            credentials,
            metaFromHeaders(request.headers),
            { maxFailures: cfg.LOGIN_MAX_FAILURES, lockMinutes: cfg.LOGIN_LOCKOUT_MINUTES, localOnlyFor: cfg.LOCAL_SIGNIN === "off" ? cfg.BREAK_GLASS_EMAILS : null },
          );
          if (!outcome.ok) throw new SignInRefused(outcome.reason, outcome.retryAfterMinutes);
          const { id, email, name, sessionVersion } = outcome.user;
          return { id, email, name, sessionVersion };
        },
      }),
      // Single sign-on with any standards-compliant OpenID Provider (issue 13): discovery from the
      // issuer, authorization code with PKCE, state and nonce checked, the ID token verified.
      ...(cfg.OIDC_ISSUER && cfg.OIDC_CLIENT_ID
        ? [
            {
              id: SSO_PROVIDER,
              name: cfg.OIDC_DISPLAY_NAME,
              type: "oidc" as const,
              issuer: cfg.OIDC_ISSUER,
              clientId: cfg.OIDC_CLIENT_ID,
              ...(cfg.OIDC_CLIENT_SECRET ? { clientSecret: cfg.OIDC_CLIENT_SECRET } : {}),
              checks: ["pkce", "state", "nonce"] as ("pkce" | "state" | "nonce")[],
              authorization: { params: { scope: cfg.OIDC_SCOPES } },
              profile(claims: Record<string, unknown>) {
                return {
                  id: String(claims.sub ?? ""),
                  email: typeof claims.email === "string" ? claims.email : "",
                  name: typeof claims.name === "string" ? claims.name : typeof claims.preferred_username === "string" ? claims.preferred_username : "",
                  groups: groupsFromClaims(claims, cfg.OIDC_GROUPS_CLAIM),
                };
              },
            },
          ]
        : []),
    ],
    callbacks: {
      /**
       * SSO: the groups decide. The person is created or updated (role, teams) and the Auth.js user
       * becomes the console's user; no mapped group, or deactivated: refused with a page that says
       * why (not an error).
       */
      async signIn({ user, account }) {
        if (account?.provider !== SSO_PROVIDER) return true;
        const { headers } = await import("next/headers");
        const outcome = await ssoSignIn(
          db(),
          { email: user.email ?? "", name: user.name ?? "", groups: user.groups ?? [] },
          cfg.OIDC_GROUP_MAPPINGS,
          metaFromHeaders(await headers()),
        );
        if (!outcome.ok) return `/signin?sso=${outcome.reason}`;
        user.id = outcome.user.id;
        user.sessionVersion = outcome.user.sessionVersion;
        return true;
      },
      async jwt({ token, user }) {
        if (user?.id) {
          token.uid = user.id;
          token.sv = user.sessionVersion ?? 0;
          // Absolute expiry: counted from sign-in, not extended by activity.
          token.sat = Math.floor(Date.now() / 1000);
          // One row per sign-in, named by the cookie: sign-out revokes exactly this session.
          token.sid = await openSession(db(), user.id, new Date(), cfg.SESSION_MAX_AGE_HOURS);
        }
        return token;
      },
      session({ session, token }) {
        session.user.id = String(token.uid ?? "");
        session.sessionVersion = Number(token.sv ?? -1);
        session.signedInAt = Number(token.sat ?? 0);
        session.sessionId = typeof token.sid === "string" ? token.sid : "";
        return session;
      },
    },
  };
});
