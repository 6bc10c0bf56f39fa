"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { MAX_KEY_LENGTH } from "./decode";
import { inspectDeps } from "./deps";
import { inspectKey as inspect } from "./service";

// The key inspector. The pasted key is decoded on the server and dropped: it is not stored,
// logged or audited (the chain audits invalid input by field name only). Containment reuses
// disableKey (lib/keys/actions) and revokeShortTermKeys (lib/shortterm/actions), which check
// their own permissions and scope.

export const inspectKey = defineAction({
  name: "inspect.key",
  permission: "inspect.use",
  schema: z.object({ pasted: z.string().min(1).max(MAX_KEY_LENGTH) }),
  run: async ({ pasted }, ctx) => {
    ctx.target({ type: "inspection" });
    return inspect(inspectDeps(), ctx.user, pasted, ctx);
  },
});
