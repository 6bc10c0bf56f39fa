import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/permissions";

// Shared by the forms (field limits) and the server actions (validation). Messages starting with
// "field." are keys in the "errors" catalog namespace (see lib/actions/zod-messages.ts).

/**
 * Control characters and bidirectional overrides render invisibly or reorder text, so a name
 * containing them could impersonate another in the table and the audit log. Letters of every
 * script (日本語, 한국어, emoji) stay allowed.
 */
const HIDDEN_CHARS = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;

function plainText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !HIDDEN_CHARS.test(s), { message: "field.plainText" });
}

/** Database ids are cuids: anything else (SQL, paths, markup) is refused before it reaches a query. */
export const idSchema = z.string().regex(/^[a-z0-9]{1,64}$/i, { message: "field.invalid" });

export const USER_NAME_MAX = 100;
export const EMAIL_MAX = 254;
export const TEAM_NAME_MAX = 64;
export const TEAM_DESCRIPTION_MAX = 500;
export const MAX_TEAMS_PER_USER = 100;

const teamIds = z.array(idSchema).max(MAX_TEAMS_PER_USER).default([]);

/** Team membership and lead flags: lead flags only for leads, and only on teams the user is in. */
function membershipRules(value: { role: string; teams: string[]; leads: string[] }, ctx: z.RefinementCtx) {
  if (value.leads.length > 0 && value.role !== "lead") {
    ctx.addIssue({ code: "custom", path: ["leads"], message: "field.leadsNeedLeadRole" });
  } else if (value.leads.some((id) => !value.teams.includes(id))) {
    ctx.addIssue({ code: "custom", path: ["leads"], message: "field.leadsNotMember" });
  }
}

export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const createUserSchema = z
  .object({
    name: plainText(1, USER_NAME_MAX),
    email: z.string().trim().toLowerCase().min(1).max(EMAIL_MAX).pipe(z.email()),
    role: z.enum(ROLES),
    teams: teamIds,
    leads: teamIds,
    password: passwordSchema,
  })
  .superRefine(membershipRules);
export type CreateUserInput = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    id: idSchema,
    name: plainText(1, USER_NAME_MAX),
    role: z.enum(ROLES),
    teams: teamIds,
    leads: teamIds,
  })
  .superRefine(membershipRules);
export type UpdateUserInput = z.output<typeof updateUserSchema>;

export const userIdSchema = z.object({ id: idSchema });

export const resetPasswordSchema = z.object({ id: idSchema, password: passwordSchema });
export type ResetPasswordInput = z.output<typeof resetPasswordSchema>;

export const createTeamSchema = z.object({
  name: plainText(1, TEAM_NAME_MAX),
  description: plainText(0, TEAM_DESCRIPTION_MAX).default(""),
});
export type CreateTeamInput = z.output<typeof createTeamSchema>;

export const updateTeamSchema = createTeamSchema.extend({ id: idSchema });
export type UpdateTeamInput = z.output<typeof updateTeamSchema>;

export const teamIdSchema = z.object({ id: idSchema });
