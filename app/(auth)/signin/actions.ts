"use server";

import { cookies } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import { getTranslations } from "next-intl/server";
import { signIn, SSO_PROVIDER_ID } from "@/lib/auth/auth";
import { authErrorStore, classifyAuthError } from "@/lib/sso/errors";
import { auditSsoFailure } from "@/lib/sso/service";
import { signInSchema, verifySignIn } from "@/lib/auth/sign-in";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { db } from "@/lib/db";
import { requestMeta } from "@/lib/http/request-meta";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n/locales";
import { isTimeZone, TIME_ZONE_COOKIE } from "@/lib/time/zone";
import { readTicket, signTicket } from "@/lib/mfa/crypto";
import { MFA_TICKET_COOKIE, MFA_TICKET_SECONDS, mfaKeys } from "@/lib/mfa/keys";

export interface SignInState {
  error?: string;
  fieldErrors?: { email?: string; password?: string; code?: string };
  email?: string;
  /** "code": the password was right; the form asks for the code from the app (or a recovery code). */
  step?: "code";
}

/**
 * Sign-in is the one action outside the usual chain (there is no user yet). Throttling, password
 * verification and the (aggregated) audit of every attempt live in lib/auth/sign-in.ts, called by
 * the credentials provider — and here for input the form refuses, so malformed attempts are
 * throttled and aggregated like any other failure and never recorded verbatim.
 */
export async function signInAction(prev: SignInState, form: FormData): Promise<SignInState> {
  const t = await getTranslations();
  if (form.has("code")) return secondStep(prev, form, t);
  const raw = { email: form.get("email"), password: form.get("password") };
  const email = typeof raw.email === "string" ? raw.email.slice(0, 254) : "";
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    const cfg = config();
    await verifySignIn(db(), raw, await requestMeta(), { maxFailures: cfg.LOGIN_MAX_FAILURES, lockMinutes: cfg.LOGIN_LOCKOUT_MINUTES });
    return {
      email,
      fieldErrors: {
        ...(fields.has("email") ? { email: t(email ? "errors.field.email" : "errors.field.required") } : {}),
        ...(fields.has("password") ? { password: t("errors.field.required") } : {}),
      },
    };
  }

  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
  } catch (error) {
    if (error instanceof CredentialsSignin || (error instanceof AuthError && error.type === "CredentialsSignin")) {
      const [code, minutes] = String((error as CredentialsSignin).code ?? "invalid").split(":");
      // Who and from where, without the person: the email's domain only, never the password.
      log().info({ signIn: code, emailDomain: parsed.data.email.split("@")[1] ?? null, ip: (await requestMeta()).ip }, "sign-in refused");
      if (code === "locked") return { email, error: t("signin.locked", { minutes: Number(minutes) || 1 }) };
      if (code === "inactive") return { email, error: t("signin.inactive") };
      if (code === "sso_only") return { email, error: t("signin.ssoOnly", { name: config().OIDC_DISPLAY_NAME }) };
      if (code === "mfa_required") {
        // authorize refuses with this code only after the password verified: the second step's
        // ticket (signed, five minutes, bound to the session version) carries that to the next form.
        const user = await db().user.findUnique({ where: { email: parsed.data.email }, select: { id: true, sessionVersion: true } });
        if (!user) return { email, error: t("signin.invalid") };
        const cfg = config();
        (await cookies()).set(MFA_TICKET_COOKIE, signTicket(mfaKeys().ticket, { u: user.id, v: user.sessionVersion, e: Date.now() + MFA_TICKET_SECONDS * 1000 }), {
          httpOnly: true,
          sameSite: "strict",
          path: "/signin",
          maxAge: MFA_TICKET_SECONDS,
          secure: cfg.SECURE_COOKIES ?? (cfg.AUTH_URL?.startsWith("https://") ?? false),
        });
        return { email, step: "code" };
      }
      return { email, error: t("signin.invalid") };
    }
    throw error;
  }

  return afterSignIn(parsed.data.email);
}

/** The second form: the code from the app (or a recovery code), with the ticket from the first. */
async function secondStep(prev: SignInState, form: FormData, t: Awaited<ReturnType<typeof getTranslations>>): Promise<SignInState> {
  // Shown again only: it comes back from the browser, so nothing is decided by it.
  const email = typeof prev.email === "string" ? prev.email.slice(0, 254) : "";
  const code = String(form.get("code") ?? "").trim().slice(0, 64);
  const jar = await cookies();
  const ticket = jar.get(MFA_TICKET_COOKIE)?.value;
  if (!ticket) return { email, error: t("signin.mfaExpired") };
  if (!code) return { email, step: "code", fieldErrors: { code: t("errors.field.required") } };
  try {
    await signIn("credentials", { ticket, code, redirect: false });
  } catch (error) {
    if (error instanceof CredentialsSignin || (error instanceof AuthError && error.type === "CredentialsSignin")) {
      const [reason, minutes] = String((error as CredentialsSignin).code ?? "mfa_invalid").split(":");
      log().info({ signIn: reason, ip: (await requestMeta()).ip }, "sign-in refused at the second step");
      if (reason === "locked") {
        jar.delete({ name: MFA_TICKET_COOKIE, path: "/signin" });
        return { email, error: t("signin.locked", { minutes: Number(minutes) || 1 }) };
      }
      if (reason === "inactive") return { email, error: t("signin.inactive") };
      if (reason === "mfa_expired") {
        jar.delete({ name: MFA_TICKET_COOKIE, path: "/signin" });
        return { email, error: t("signin.mfaExpired") };
      }
      return { email, step: "code", fieldErrors: { code: t("signin.mfaInvalid") } };
    }
    throw error;
  }
  jar.delete({ name: MFA_TICKET_COOKIE, path: "/signin" });
  // Who signed in is the ticket's user (the form's state comes from the browser).
  const userId = readTicket(mfaKeys().ticket, ticket)?.u;
  const user = userId ? await db().user.findUnique({ where: { id: userId }, select: { email: true } }) : null;
  return afterSignIn(user?.email ?? "");
}

async function afterSignIn(email: string): Promise<never> {
  // The user's language and time zone follow them to every browser they sign in from (the
  // browser corrects the zone on its first page if it is elsewhere now).
  const user = email ? await db().user.findUnique({ where: { email }, select: { locale: true, timeZone: true } }) : null;
  if (user && isLocale(user.locale)) {
    (await cookies()).set(LOCALE_COOKIE, user.locale, { path: "/", sameSite: "lax", httpOnly: false, maxAge: 365 * 86400 });
  }
  if (user && isTimeZone(user.timeZone)) {
    (await cookies()).set(TIME_ZONE_COOKIE, user.timeZone, { path: "/", sameSite: "lax", httpOnly: false, maxAge: 365 * 86400 });
  } else if (user) {
    // First sign-in: the zone this browser reported on the sign-in page becomes the user's.
    const seen = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
    if (isTimeZone(seen)) await db().user.update({ where: { email }, data: { timeZone: seen } });
  }
  redirect("/");
}

/**
 * "Sign in with <IdP>": Auth.js reads the IdP's discovery document, stores state, PKCE verifier
 * and nonce in short-lived cookies and redirects to the IdP. An IdP that cannot be reached ends
 * on a page that says so (audited), and break-glass password sign-in still works.
 */
export async function ssoSignInAction(): Promise<void> {
  // Auth.js reports a failure here (e.g. discovery unreachable) as a redirect to its error page
  // with a catch-all code, or by throwing; either way the error it logged names the reason.
  const store = { errors: [] as unknown[] };
  let target: string;
  try {
    target = await authErrorStore.run(store, () => signIn(SSO_PROVIDER_ID, { redirectTo: "/", redirect: false }));
  } catch (error) {
    unstable_rethrow(error);
    store.errors.push(error);
    target = "/signin/error";
  }
  if (new URL(target, "http://x").pathname === "/signin/error") {
    const { reason, errorType } = classifyAuthError(store.errors.at(-1));
    log().warn({ authError: errorType, reason }, "SSO sign-in could not start");
    await auditSsoFailure(db(), reason, errorType, await requestMeta());
    redirect(`/signin/error?reason=${reason}`);
  }
  redirect(target);
}
