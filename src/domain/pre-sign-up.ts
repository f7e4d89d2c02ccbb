/** What the PreSignUp trigger's answer does to the user being signed up (DG pre sign-up). */
import type { AttributeType } from "../protocol/types.generated.js";
import type { UserRecord } from "../store/records.js";
import type { PreSignUpDecision } from "../triggers/sign-up.js";
import { markVerified } from "./attributes.js";

/**
 * SignUp: `autoConfirmUser` confirms the user (no code is sent); `autoVerifyEmail` /
 * `autoVerifyPhone` mark the email / phone number verified, where the user has one.
 */
export function applyPreSignUp(user: UserRecord, decision: PreSignUpDecision, now: Date): UserRecord {
  let result = decision.autoConfirmUser ? { ...user, status: "CONFIRMED" as const, updatedAt: now } : user;
  if (decision.autoVerifyEmail && result.attributes.email) result = markVerified(result, "email", now);
  if (decision.autoVerifyPhone && result.attributes.phone_number) {
    result = markVerified(result, "phone_number", now);
  }
  return result;
}

/** SignUp's and AdminCreateUser's ValidationData, as the trigger's `validationData` map. */
export function validationDataMap(list: AttributeType[] | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(list.map((a) => [a.Name, a.Value ?? ""]));
}
