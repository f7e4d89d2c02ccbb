/**
 * `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate` (ADMINISTRATION.md §5):
 * in a pool that lists `email` / `phone_number`, a change of the user's verified value waits for
 * verification. The new value is kept pending, a code goes to it, and the user keeps the original
 * (signing in with it, receiving messages there, seeing it in GetUser and tokens) until
 * VerifyUserAttribute promotes the new one. An admin update that also sets the attribute's
 * `_verified` to true applies at once. Attributes not listed change at once (attributes.ts).
 */
import type { AttributeType, VerifiedAttributeType } from "../protocol/types.generated.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import {
  type AttributeWriteOptions,
  applyAttributeUpdates,
  markVerified,
  PENDING_KEY,
  withoutPending,
} from "./attributes.js";
import { Errors } from "./errors.js";
import { assertAliasesAvailable } from "./users.js";

type Pending = Partial<Record<VerifiedAttributeType, string>>;

/** The attributes the pool keeps pending until verified. */
function heldAttributes(pool: PoolRecord): VerifiedAttributeType[] {
  return pool.config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
}

function storedPending(user: UserRecord): Pending {
  return (user.extra[PENDING_KEY] as Pending | undefined) ?? {};
}

/** The attribute's new value waiting for verification, while the pool still holds the attribute. */
export function pendingValue(
  pool: PoolRecord,
  user: UserRecord,
  attribute: VerifiedAttributeType,
): string | undefined {
  return heldAttributes(pool).includes(attribute) ? storedPending(user)[attribute] : undefined;
}

/** The user as a code for the attribute is sent: to its pending value when it has one. */
export function codeRecipient(
  pool: PoolRecord,
  user: UserRecord,
  attribute: VerifiedAttributeType,
): UserRecord {
  const pending = pendingValue(pool, user, attribute);
  return pending === undefined ? user : { ...user, attributes: { ...user.attributes, [attribute]: pending } };
}

const isTrue = (value: string | undefined) => value?.toLowerCase() === "true";

/**
 * The changes of an update to hold: a listed attribute whose verified value changes (to another
 * value, not removed), unless an admin sets its `_verified` to true in the same request [API].
 * A user without a verified value has nothing to keep: its change applies at once [UNDOC].
 */
function changesToHold(
  pool: PoolRecord,
  user: UserRecord,
  attributes: AttributeType[],
  admin: boolean,
): Pending {
  const held: Pending = {};
  const given = new Map(attributes.map((a) => [a.Name, a.Value ?? ""]));
  for (const name of heldAttributes(pool)) {
    const value = given.get(name);
    if (!value || value === user.attributes[name]) continue;
    if (user.attributes[`${name}_verified`] !== "true") continue;
    if (admin && isTrue(given.get(`${name}_verified`))) continue;
    held[name] = value;
  }
  return held;
}

export interface HeldUpdateResult {
  user: UserRecord;
  /** Changed attributes to send a code to, at their new (now current) value. */
  verify: VerifiedAttributeType[];
  /** Attributes whose new value waits for verification: send a code to it (codeRecipient). */
  pending: VerifiedAttributeType[];
}

/**
 * UpdateUserAttributes / AdminUpdateUserAttributes: every value is checked as usual, held ones
 * too; the held ones are kept pending (a new one replaces an earlier one), the others applied.
 * Sign-in names the pending values would take must be free now (and are checked again when
 * promoted [UNDOC]). The caller saves the user.
 */
export async function updateAttributesHeld(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  attributes: AttributeType[],
  options: AttributeWriteOptions,
): Promise<HeldUpdateResult> {
  const all = applyAttributeUpdates(pool, user, attributes, options);
  const held = changesToHold(pool, user, attributes, options.writer === "admin");
  const names = Object.keys(held) as VerifiedAttributeType[];
  if (names.length === 0) return { ...all, pending: [] };
  let promoted = user;
  for (const name of names)
    promoted = markVerified(promotedView(promoted, name, held[name] as string), name, options.now);
  await assertAliasesAvailable(store, pool, promoted);
  const applied = applyAttributeUpdates(
    pool,
    user,
    attributes.filter((a) => !names.some((name) => a.Name === name || a.Name === `${name}_verified`)),
    options,
  );
  const pending = { ...storedPending(applied.user), ...held };
  return {
    user: { ...applied.user, extra: { ...applied.user.extra, [PENDING_KEY]: pending } },
    verify: applied.verify,
    pending: names,
  };
}

function promotedView(user: UserRecord, attribute: VerifiedAttributeType, value: string): UserRecord {
  return { ...user, attributes: { ...user.attributes, [attribute]: value } };
}

/**
 * VerifyUserAttribute's result: the pending value (if any) becomes the attribute, verified; else
 * the current value is marked verified. Saving it checks that its sign-in name is still free.
 */
export function verifiedUser(
  pool: PoolRecord,
  user: UserRecord,
  attribute: VerifiedAttributeType,
  now: Date,
): UserRecord {
  const pending = pendingValue(pool, user, attribute);
  if (pending === undefined) {
    // A code outlives a deleted attribute; there is nothing left to verify [UNDOC].
    if (!user.attributes[attribute]) {
      throw attribute === "email" ? Errors.verifyWithoutEmail() : Errors.verifyWithoutPhoneNumber();
    }
    return markVerified(user, attribute, now);
  }
  return markVerified(withoutPending(promotedView(user, attribute, pending), [attribute]), attribute, now);
}
