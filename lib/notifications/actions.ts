"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { markRead } from "./queries";

const markReadSchema = z.union([
  z.object({ all: z.literal(true) }),
  z.object({ ids: z.array(z.string().regex(/^[a-z0-9]{1,64}$/i)).min(1).max(100) }),
]);

/** Mark the signed-in person's notifications read (some, or all). Someone else's ids change nothing. */
export const markNotificationsRead = defineAction({
  name: "notifications.markRead",
  permission: "notifications.read",
  schema: markReadSchema,
  run: async (input, ctx) => {
    ctx.target({ type: "notifications", id: ctx.user.id, label: ctx.user.email });
    const marked = await markRead(ctx.db, ctx.user.id, "all" in input ? "all" : input.ids, new Date());
    ctx.detail({ marked });
    revalidatePath("/", "layout");
    return { marked };
  },
});
