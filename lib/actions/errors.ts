/**
 * An expected failure with a message for the user. `code` is a key in the "errors" message
 * namespace (lib/i18n/messages/*.json); params fill its placeholders. Never put internals here.
 */
export class ActionError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly fieldErrors: Record<string, { code: string; params?: Record<string, string | number> }> = {},
  ) {
    super(code);
    this.name = "ActionError";
  }
}

export type FieldErrors = Record<string, string>;

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: FieldErrors; eventId?: string };

/** FormData → plain object. Keys ending in [] collect every value into an array. */
export function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key).filter((v): v is string => typeof v === "string");
    if (key.endsWith("[]")) out[key.slice(0, -2)] = values;
    else out[key] = values[values.length - 1];
  }
  return out;
}
