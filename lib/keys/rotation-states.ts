/** A rotation that is not finished yet: its old credential still exists. */
export const OPEN_ROTATION_STATES = ["pickup", "creating", "overlap"] as const;

export type OpenRotationState = (typeof OPEN_ROTATION_STATES)[number];
