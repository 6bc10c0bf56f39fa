"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { signInAction, type SignInState } from "./actions";

export function SignInForm({ notice }: { notice?: string }) {
  const t = useTranslations("signin");
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, {});
  if (state.step === "code") {
    return (
      <form action={formAction} className="space-y-4" noValidate>
        <h2 className="text-base font-semibold text-slate-900">{t("mfaTitle")}</h2>
        <p className="text-sm text-slate-600">{t("mfaIntro", { email: state.email ?? "" })}</p>
        <TextField
          label={t("mfaCode")}
          name="code"
          autoComplete="one-time-code"
          autoFocus
          required
          maxLength={64}
          hint={t("mfaCodeHint")}
          error={state.fieldErrors?.code}
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? t("submitting") : t("mfaSubmit")}
        </Button>
        <p className="text-center text-sm">
          <a href="/signin" className="text-brand-700 underline">
            {t("mfaStartOver")}
          </a>
        </p>
      </form>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.error ? (
        <Alert label={t("errorLabel")}>{state.error}</Alert>
      ) : notice ? (
        <Alert label={t("errorLabel")} tone="info">
          {notice}
        </Alert>
      ) : null}
      <TextField
        label={t("email")}
        name="email"
        type="email"
        autoComplete="username"
        required
        maxLength={254}
        defaultValue={state.email}
        error={state.fieldErrors?.email}
      />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={200}
        error={state.fieldErrors?.password}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
