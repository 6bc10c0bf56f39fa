import type { z } from "zod";

/** Map a zod issue to a message key + params in the "errors" namespace, so field errors are translated. */
export function issueToMessage(issue: z.core.$ZodIssue): { code: string; params?: Record<string, string | number> } {
  // Schemas may carry our own keys as custom messages, e.g. .refine(..., { message: "field.cidr" }).
  if (issue.message.startsWith("field.")) {
    // A custom issue may carry the message's parameters (ctx.addIssue({ …, params })).
    const params = issue.code === "custom" ? (issue.params as Record<string, string | number> | undefined) : undefined;
    return params ? { code: issue.message, params } : { code: issue.message };
  }
  switch (issue.code) {
    case "invalid_type":
      return { code: "field.required" };
    case "too_small":
      return issue.minimum === 1 && issue.origin === "string"
        ? { code: "field.required" }
        : { code: "field.tooSmall", params: { min: Number(issue.minimum) } };
    case "too_big":
      return { code: "field.tooBig", params: { max: Number(issue.maximum) } };
    case "invalid_format":
      return { code: issue.format === "email" ? "field.email" : "field.format" };
    case "invalid_value":
      return { code: "field.choice" };
    default:
      return { code: "field.invalid" };
  }
}
