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

export interface SignInState {
  error?: string;
  fieldErrors?: { email?: string; password?: string };
  email?: string;
}

/**
 * Sign-in is the one action outside the usual chain (there is no user yet). Throttling, password
 * verification and the (aggregated) audit of every attempt live in lib/auth/sign-in.ts, called by
 * the credentials provider — and here for input the form refuses, so malformed attempts are
 * throttled and aggregated like any other failure and never recorded verbatim.
 */
export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const t = await getTranslations();
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
      return { email, error: t("signin.invalid") };
    }
    throw error;
  }

  // The user's language and time zone follow them to every browser they sign in from (the
  // browser corrects the zone on its first page if it is elsewhere now).
  const user = await db().user.findUnique({ where: { email: parsed.data.email }, select: { locale: true, timeZone: true } });
  if (user && isLocale(user.locale)) {
    (await cookies()).set(LOCALE_COOKIE, user.locale, { path: "/", sameSite: "lax", httpOnly: false, maxAge: 365 * 86400 });
  }
  if (user && isTimeZone(user.timeZone)) {
    (await cookies()).set(TIME_ZONE_COOKIE, user.timeZone, { path: "/", sameSite: "lax", httpOnly: false, maxAge: 365 * 86400 });
  } else if (user) {
    // First sign-in: the zone this browser reported on the sign-in page becomes the user's.
    const seen = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
    if (isTimeZone(seen)) await db().user.update({ where: { email: parsed.data.email }, data: { timeZone: seen } });
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
