/** Who must use two-step sign-in (MFA_REQUIRED_FOR); no imports, so the session check stays light. */
export type MfaRequirement = "none" | "admins" | "everyone";

export function mfaRequiredFor(role: string, requirement: MfaRequirement): boolean {
  return requirement === "everyone" || (requirement === "admins" && role === "admin");
}

/** A password session of someone who must use two-step sign-in and has not set it up yet. */
export function mustEnrol(user: { role: string; mfaEnabledAt: Date | null }, viaSso: boolean, requirement: MfaRequirement): boolean {
  return !viaSso && !user.mfaEnabledAt && mfaRequiredFor(user.role, requirement);
}
