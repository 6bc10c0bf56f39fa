import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { metaFromHeaders } from "@/lib/http/request-meta";
import { openSession } from "./sessions";
import { verifySignIn } from "./sign-in";

/** Carries the reason to the sign-in action; the code is one of a fixed set, never user data. */
export class SignInRefused extends CredentialsSignin {
  constructor(code: "invalid" | "locked" | "inactive", readonly retryAfterMinutes?: number) {
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
    pages: { signIn: "/signin" },
    useSecureCookies: cfg.SECURE_COOKIES ?? (cfg.AUTH_URL?.startsWith("https://") ?? false),
    logger: {
      // error.type, not error.name: the production build minifies class names ("s"). The type is one
      // of Auth.js's fixed codes (CredentialsSignin, CallbackRouteError, …); never the input.
      error: (error) => log().warn({ authError: (error as { type?: string }).type ?? "unknown" }, "auth error"),
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
            { maxFailures: cfg.LOGIN_MAX_FAILURES, lockMinutes: cfg.LOGIN_LOCKOUT_MINUTES },
          );
          if (!outcome.ok) throw new SignInRefused(outcome.reason, outcome.retryAfterMinutes);
          const { id, email, name, sessionVersion } = outcome.user;
          return { id, email, name, sessionVersion };
        },
      }),
    ],
    callbacks: {
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
