/**
 * The challenge registry: every ChallengeName, the module that answers it, and the steps that
 * follow a verified answer. Challenges of later issues answer a clear not-yet error.
 */
import { Errors } from "../../domain/errors.js";
import type { ChallengeNameType } from "../../protocol/types.generated.js";
import type { Step } from "../sign-in.js";
import { AFTER_NEW_PASSWORD } from "../steps/post-password.js";
import type { ChallengeModule } from "./challenge.js";
import { newPasswordRequired } from "./new-password-required.js";

export interface ChallengeEntry {
  module: ChallengeModule;
  /** What runs after a verified answer that did not itself end the request. */
  next: readonly Step[];
}

const IMPLEMENTED: Partial<Record<ChallengeNameType, ChallengeEntry>> = {
  NEW_PASSWORD_REQUIRED: { module: newPasswordRequired, next: AFTER_NEW_PASSWORD },
};

/** Names that only appear in custom-auth session history and are never answered [UNDOC]. */
const NOT_ANSWERABLE: ReadonlySet<ChallengeNameType> = new Set(["ADMIN_NO_SRP_AUTH"]);

/** The entry for a ChallengeName, or the error for a challenge this server does not answer. */
export function challengeEntry(name: ChallengeNameType): ChallengeEntry {
  const entry = IMPLEMENTED[name];
  if (entry) return entry;
  if (NOT_ANSWERABLE.has(name)) throw Errors.challengeNotAnswerable(name);
  throw Errors.challengeNotSupportedYet(name);
}
