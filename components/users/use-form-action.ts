"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/actions/errors";

/**
 * useActionState for dialog forms. Submits through onSubmit instead of <form action>, because
 * React resets a form after an action-prop submission, which would wipe what the user typed when
 * the server answers with field errors. `onSuccess` runs once, with the action's data.
 */
export function useFormAction<T>(action: (form: FormData) => Promise<ActionResult<T>>, onSuccess: (data: T) => void) {
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(async (_prev, form) => {
    const result = await action(form);
    if (result.ok) onSuccess(result.data);
    return result;
  }, null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  };

  const failed = state && !state.ok ? state : null;
  /** The first error for a field, including errors on its items ("teams.0" counts for "teams"). */
  const fieldError = (name: string): string | undefined => {
    const errors = failed?.fieldErrors;
    if (!errors) return undefined;
    if (errors[name]) return errors[name];
    const key = Object.keys(errors).find((k) => k.startsWith(`${name}.`));
    return key ? errors[key] : undefined;
  };

  return { onSubmit, pending, error: failed?.error, fieldError };
}
