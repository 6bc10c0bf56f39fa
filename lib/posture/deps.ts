import "server-only";
import { keyDeps } from "@/lib/keys/deps";
import type { KeyDeps } from "@/lib/keys/types";

/** The posture services act through the key services' dependencies (every account's IAM). */
export function postureDeps(): KeyDeps {
  return keyDeps();
}
