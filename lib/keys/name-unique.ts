import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { nameKey } from "./naming";

/**
 * Key names are unique among current keys (being issued or present), compared by nameKey (case
 * and width ignored): the inventory, the usage filter and the delete confirmation identify a key
 * by its name. Deleted and gone keys free their name again. Keys made outside the console can
 * still share a name (two credentials of one IAM user are both named after it); the pages then
 * show the IAM user and a short key id beside it.
 */

export const CURRENT_KEY_STATES = ["issuing", "present"] as const;

type Db = Pick<PrismaClient, "apiKey">;

/**
 * The current key that already has this name, if any. `except` leaves out the key being renamed
 * or just reserved, and the record of an earlier submit of the same form (its idempotency token),
 * which is answered as "already issued" rather than as a clash.
 * The comparison runs here rather than in SQL: SQLite's LOWER() folds ASCII only.
 */
export async function findNameClash(
  db: Db,
  name: string,
  except: { keyId?: string; idempotencyToken?: string } = {},
): Promise<{ id: string; name: string; iamUserName: string } | null> {
  const wanted = nameKey(name);
  const current = await db.apiKey.findMany({
    where: { state: { in: [...CURRENT_KEY_STATES] } },
    select: { id: true, name: true, iamUserName: true, idempotencyToken: true },
  });
  const clash = current.find(
    (k) =>
      nameKey(k.name) === wanted &&
      k.id !== except.keyId &&
      (except.idempotencyToken === undefined || k.idempotencyToken !== except.idempotencyToken),
  );
  return clash ? { id: clash.id, name: clash.name, iamUserName: clash.iamUserName } : null;
}

/** The field error a form shows next to the name it sent. */
export function nameTakenError(field: string, name: string): ActionError {
  return new ActionError("keys.nameTaken", { name }, { [field]: { code: "field.keyNameTaken", params: { name } } });
}

/** Refuse a name a current key already has (field error on `field`). */
export async function assertKeyNameFree(
  db: Db,
  name: string,
  field: string,
  except: { keyId?: string; idempotencyToken?: string } = {},
): Promise<void> {
  if (await findNameClash(db, name, except)) throw nameTakenError(field, name);
}
