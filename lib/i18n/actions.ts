"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { LOCALE_COOKIE, LOCALES } from "./locales";

const localeSchema = z.object({ locale: z.enum(LOCALES) });
const COOKIE = { path: "/", sameSite: "lax", httpOnly: false, maxAge: 365 * 86400 } as const;

/** Signed-in users: the choice is stored on the user (it follows them) and mirrored in the cookie. */
export const changeLocale = defineAction({
  name: "profile.locale",
  permission: "profile.update",
  schema: localeSchema,
  async run({ locale }, ctx) {
    ctx.target({ type: "user", id: ctx.user.id, label: ctx.user.email });
    ctx.detail({ locale });
    await ctx.db.user.update({ where: { id: ctx.user.id }, data: { locale } });
    (await cookies()).set(LOCALE_COOKIE, locale, COOKIE);
    return { locale };
  },
});

/** Before sign-in there is no user: only the browser's cookie changes, nothing on the server. */
export async function changeGuestLocale(input: unknown): Promise<{ ok: boolean }> {
  const parsed = localeSchema.safeParse(input);
  if (!parsed.success) return { ok: false };
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, COOKIE);
  return { ok: true };
}
