import type { KeyDeps } from "@/lib/keys/types";

/** What the posture services need: the key services' dependencies without the reveal's region. */
export type PostureDeps = Omit<KeyDeps, "region">;

/** The audit target type of a posture finding. */
export const FINDING_TARGET = "postureFinding";
