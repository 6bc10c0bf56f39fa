"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { isTimeZone, TIME_ZONE_COOKIE } from "./zone";

const timeZoneSchema = z.object({ timeZone: z.string().refine(isTimeZone, { message: "field.choice" }) });
const COOKIE = { path: "/", sameSite: "lax", httpOnly: false, maxAge: 365 * 86400 } as const;

/**
 * The browser reports its zone; signed-in users keep it on their record (it follows them, like the
 * language) and in the cookie the server renders with. Called only when the zone changed.
 */
export const changeTimeZone = defineAction({
  name: "profile.timeZone",
  permission: "profile.update",
  schema: timeZoneSchema,
  async run({ timeZone }, ctx) {
    ctx.target({ type: "user", id: ctx.user.id, label: ctx.user.email });
    ctx.detail({ timeZone });
    await ctx.db.user.update({ where: { id: ctx.user.id }, data: { timeZone } });
    (await cookies()).set(TIME_ZONE_COOKIE, timeZone, COOKIE);
    return { timeZone };
  },
});

/** Before sign-in there is no user: only the browser's cookie changes, nothing on the server. */
export async function changeGuestTimeZone(input: unknown): Promise<{ ok: boolean }> {
  const parsed = timeZoneSchema.safeParse(input);
  if (!parsed.success) return { ok: false };
  (await cookies()).set(TIME_ZONE_COOKIE, parsed.data.timeZone, COOKIE);
  return { ok: true };
}
