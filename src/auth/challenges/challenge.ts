/** What every challenge module declares; the engine runs the common checks, then `answer`. */
import type { ChallengeNameType } from "../../protocol/types.generated.js";
import type { AuthOutcome, SignIn } from "../sign-in.js";

export interface ChallengeModule {
  readonly name: ChallengeNameType;
  /** Whether an answer must carry the Session the challenge was issued with. */
  readonly requiresSession: boolean;
  /**
   * For a challenge answered without a Session (SRP's PASSWORD_VERIFIER after USER_SRP_AUTH keeps
   * its state in SECRET_BLOCK): restores the sign-in's user and state from the answer.
   */
  resume?(signIn: SignIn): Promise<void>;
  /**
   * Other challenges whose Session this one may answer (choice-based sign-in: PASSWORD and
   * PASSWORD_SRP answer a SELECT_CHALLENGE directly).
   */
  readonly answersSessionsOf?: readonly ChallengeNameType[];
  /** ChallengeResponses the answer cannot do without, besides USERNAME. */
  readonly requiredResponses: readonly string[];
  /**
   * Verifies the answer and applies it. Returns an outcome to end the request (another challenge),
   * or nothing to continue with the steps that follow this challenge.
   */
  answer(signIn: SignIn): Promise<AuthOutcome | undefined>;
}
