import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { metaFromHeaders } from "@/lib/http/request-meta";
import { requestMeta } from "@/lib/http/request-meta";
import { groupsFromClaims } from "@/lib/sso/mapping";
import { recordAuthError } from "@/lib/sso/errors";
import { verifyIdToken } from "@/lib/sso/id-token";
import { loadGrants, ssoSignIn } from "@/lib/sso/service";
import { verifySecondStep } from "@/lib/mfa/service";
import { mfaKeys } from "@/lib/mfa/keys";
import { openSession } from "./sessions";
import { verifySignIn } from "./sign-in";

/** Auth.js's id of the identity provider; the redirect URI is <AUTH_URL>/api/auth/callback/oidc. */
export const SSO_PROVIDER_ID = "oidc";

/** Carries the reason to the sign-in action; the code is one of a fixed set, never user data. */
export class SignInRefused extends CredentialsSignin {
  constructor(code: "invalid" | "locked" | "inactive" | "sso_only" | "mfa_required" | "mfa_invalid" | "mfa_expired", readonly retryAfterMinutes?: number) {
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
    /** Signed in through the identity provider (sign-out then also offers the IdP's logout). */
    sso: boolean;
  }
  interface User {
    sessionVersion?: number;
  }
}

/** Whether the password form may be used by this email (LOCAL_SIGNIN=off leaves break-glass accounts only). */
export function localSignInAllowed(cfg: { LOCAL_SIGNIN: "on" | "off"; BREAK_GLASS_EMAILS: string[] }) {
  return (email: string) => cfg.LOCAL_SIGNIN === "on" || cfg.BREAK_GLASS_EMAILS.includes(email.toLowerCase());
}

// JWT strategy: the credentials provider requires it. The token is only a pointer to the user;
// every request re-reads the user (lib/auth/session.ts), so deactivation takes effect at once.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const cfg = config();
  return {
    secret: cfg.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: cfg.SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: "/signin", error: "/signin/error" },
    useSecureCookies: cfg.SECURE_COOKIES ?? (cfg.AUTH_URL?.startsWith("https://") ?? false),
    logger: {
      // error.type, not error.name: the production build minifies class names ("s"). The type is one
      // of Auth.js's fixed codes (CredentialsSignin, CallbackRouteError, …); never the input.
      error: (error) => {
        recordAuthError(error);
        log().warn({ authError: (error as { type?: string }).type ?? "unknown" }, "auth error");
      },
      warn: (code) => log().warn({ code }, "auth warning"),
      debug: () => {},
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {}, ticket: {}, code: {} },
        async authorize(credentials, request) {
          const policy = { maxFailures: cfg.LOGIN_MAX_FAILURES, lockMinutes: cfg.LOGIN_LOCKOUT_MINUTES };
          if (credentials.code !== undefined) {
            // The second step of a password sign-in (lib/mfa): the ticket proves the password.
            const second = await verifySecondStep(db(), credentials, mfaKeys(), metaFromHeaders(request.headers), policy);
            if (!second.ok) {
              if (second.reason === "locked" || second.reason === "inactive") throw new SignInRefused(second.reason, second.retryAfterMinutes);
              throw new SignInRefused(second.reason === "expired" ? "mfa_expired" : "mfa_invalid");
            }
            const { id, email, name, sessionVersion } = second.user;
            return { id, email, name, sessionVersion };
          }
          const outcome = await verifySignIn(
            db(),
            credentials,
            metaFromHeaders(request.headers),
            { maxFailures: cfg.LOGIN_MAX_FAILURES, lockMinutes: cfg.LOGIN_LOCKOUT_MINUTES },
            undefined,
            localSignInAllowed(cfg),
          );
          if (!outcome.ok) throw new SignInRefused(outcome.reason, outcome.reason === "mfa_required" ? undefined : outcome.retryAfterMinutes);
          const { id, email, name, sessionVersion } = outcome.user;
          return { id, email, name, sessionVersion };
        },
      }),
      // Any standards-compliant OpenID provider, found by discovery from the issuer. Auth.js
      // (oauth4webapi) checks state, PKCE (S256) and nonce, and the ID token's signature, alg
      // (never "none"), iss, aud and exp; what it accepts reaches the signIn callback below.
      ...(cfg.OIDC_ISSUER && cfg.OIDC_CLIENT_ID && cfg.OIDC_CLIENT_SECRET
        ? [
            {
              id: SSO_PROVIDER_ID,
              name: cfg.OIDC_DISPLAY_NAME,
              type: "oidc" as const,
              issuer: cfg.OIDC_ISSUER,
              clientId: cfg.OIDC_CLIENT_ID,
              clientSecret: cfg.OIDC_CLIENT_SECRET,
              checks: ["pkce", "state", "nonce"] as ("pkce" | "state" | "nonce")[],
              authorization: { params: { scope: cfg.OIDC_SCOPES } },
              profile: (profile: Record<string, unknown>) => ({
                id: String(profile.sub ?? ""),
                email: typeof profile.email === "string" ? profile.email : null,
                name: typeof profile.name === "string" ? profile.name : null,
              }),
            },
          ]
        : []),
    ],
    callbacks: {
      /**
       * SSO only (credentials are checked in authorize): role and teams from the ID token's groups,
       * just-in-time creation, refusal without a mapped group. A refusal is a redirect to a page
       * that explains it, not an error.
       */
      async signIn({ user, account, profile }) {
        if (account?.provider !== SSO_PROVIDER_ID) return true;
        // Throws on a bad signature; Auth.js then ends on the error page (audited as invalid_token).
        if (!account.id_token) throw new Error("the IdP sent no ID token");
        await verifyIdToken(account.id_token, { issuer: cfg.OIDC_ISSUER!, clientId: cfg.OIDC_CLIENT_ID! });
        const claims = (profile ?? {}) as Record<string, unknown>;
        const { grants, unknownTeams } = await loadGrants(db(), cfg.OIDC_GROUP_MAPPINGS);
        if (unknownTeams.length) log().warn({ unknownTeams }, "OIDC_GROUP_MAPPINGS names teams that do not exist; they are ignored");
        const outcome = await ssoSignIn(
          db(),
          {
            issuer: cfg.OIDC_ISSUER!,
            sub: account.providerAccountId,
            // An address the IdP says it has not verified is not used to find or create anyone.
            email: claims.email_verified === false ? null : (user.email ?? null),
            name: user.name ?? null,
            groups: groupsFromClaims(claims, cfg.OIDC_GROUPS_CLAIM),
          },
          grants,
          await requestMeta(),
        );
        if (!outcome.ok) return `/signin/refused?reason=${outcome.reason}`;
        // The same object reaches the jwt callback: from here on it is the console's user.
        user.id = outcome.user.id;
        user.sessionVersion = outcome.user.sessionVersion;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user?.id) {
          // Kept (encrypted, in the cookie; never in the session sent to the browser) for RP-initiated logout.
          if (account?.provider === SSO_PROVIDER_ID && account.id_token) token.idt = account.id_token;
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
        session.sso = typeof token.idt === "string";
        return session;
      },
    },
  };
});
