/**
 * Custom authentication's decision loop (ADMIN_INITIATE_AUTH.md §5.4, CHALLENGES.md §3.9): after
 * each step of the sign-in, DefineAuthChallenge sees the history of challenges and their results
 * and says what comes next — fail, issue tokens, a CUSTOM_CHALLENGE (made by CreateAuthChallenge),
 * or, right after SRP_A, the password's PASSWORD_VERIFIER. The history travels in the Session.
 */
import { Errors } from "../domain/errors.js";
import type { ChallengeNameType } from "../protocol/types.generated.js";
import type { AuthSessionRecord } from "../store/auth-sessions.js";
import {
  type ChallengeResult,
  type CustomAuthInput,
  runCreateAuthChallenge,
  runDefineAuthChallenge,
} from "../triggers/custom-auth.js";
import { passwordVerifierChallenge } from "./challenges/password-verifier.js";
import { openSession } from "./session.js";
import { type AuthOutcome, resolvedUser, type SignIn } from "./sign-in.js";
import { clientPublicValue } from "./srp-proof.js";
import { hidesUserExistence, respondClientMetadata } from "./steps/triggers.js";
import { isUnknownUser, unknownUserState } from "./unknown-user.js";

export type { ChallengeResult };

/** The session state key of the history (openSession keeps it), and of the pending challenge. */
const HISTORY = "customAuthHistory";
const PENDING = "customChallenge";

/** What Create said about the challenge the client is answering. */
export interface PendingCustomChallenge {
  privateChallengeParameters: Record<string, string>;
  challengeMetadata: string | null;
}

/** The history a session carried, as it was when the session was opened. */
export function sessionHistory(session: AuthSessionRecord | undefined): ChallengeResult[] {
  const history = session?.state[HISTORY];
  return Array.isArray(history) ? (history as ChallengeResult[]) : [];
}

export function pendingCustomChallenge(session: AuthSessionRecord): PendingCustomChallenge {
  const pending = session.state[PENDING] as PendingCustomChallenge | undefined;
  if (!pending) throw Errors.sessionInvalid();
  return pending;
}

/** Who the triggers are told about; ClientMetadata only from the respond operations [DG]. */
export function customAuthInput(signIn: SignIn): CustomAuthInput {
  const user = resolvedUser(signIn);
  return {
    pool: signIn.pool,
    clientId: signIn.client.id,
    user: isUnknownUser(user) ? { unknownName: user.username } : user,
    clientMetadata: respondClientMetadata(signIn),
    preventUserExistenceErrors: hidesUserExistence(signIn),
  };
}

/**
 * A built-in challenge the sign-in just passed (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, …) joins
 * the history its Session carried; once per request.
 */
export function recordPassedChallengeOf(signIn: SignIn): void {
  if (signIn.authFlow !== "CUSTOM_AUTH" || signIn.customAuthHistory || !signIn.session) return;
  const name = signIn.session.challengeName as ChallengeNameType;
  signIn.customAuthHistory = [
    ...sessionHistory(signIn.session),
    { challengeName: name, challengeResult: true, challengeMetadata: null },
  ];
}

async function customChallenge(signIn: SignIn, history: ChallengeResult[]): Promise<AuthOutcome> {
  const created = await runCreateAuthChallenge(signIn.services, {
    ...customAuthInput(signIn),
    session: history,
  });
  const pending: PendingCustomChallenge = {
    privateChallengeParameters: created.privateChallengeParameters,
    challengeMetadata: created.challengeMetadata,
  };
  return {
    kind: "challenge",
    challengeName: "CUSTOM_CHALLENGE",
    // Clients read USERNAME from it [SDK]: the real username.
    challengeParameters: { ...created.publicChallengeParameters, USERNAME: resolvedUser(signIn).username },
    session: await openSession(signIn, "CUSTOM_CHALLENGE", {
      [HISTORY]: history,
      [PENDING]: pending,
      ...unknownUserState(resolvedUser(signIn)),
    }),
  };
}

/** PASSWORD_VERIFIER only right after SRP_A, with the SRP_A the sign-in started with. */
function passwordVerifier(signIn: SignIn, history: ChallengeResult[]): Promise<AuthOutcome> {
  const last = history.at(-1);
  const srpA = signIn.request.parameters.SRP_A;
  if (last?.challengeName !== "SRP_A" || !srpA) throw Errors.lambdaOutputUnrecognizable();
  return passwordVerifierChallenge(signIn, clientPublicValue(srpA));
}

/**
 * Asks DefineAuthChallenge what follows the history so far. Returns the next challenge, or nothing
 * when tokens are to be issued (the steps after custom authentication then run).
 */
export async function defineNext(signIn: SignIn): Promise<AuthOutcome | undefined> {
  const history = signIn.customAuthHistory ?? [];
  const decision = await runDefineAuthChallenge(signIn.services, {
    ...customAuthInput(signIn),
    session: history,
  });
  switch (decision.kind) {
    case "fail":
      throw Errors.incorrectUsernameOrPassword();
    case "issueTokens":
      // A user that does not exist gets no tokens, whatever the function says.
      if (isUnknownUser(resolvedUser(signIn))) throw Errors.incorrectUsernameOrPassword();
      signIn.authTime ??= signIn.now;
      return undefined;
    case "challenge":
      if (decision.challengeName === "CUSTOM_CHALLENGE") return customChallenge(signIn, history);
      if (decision.challengeName === "PASSWORD_VERIFIER") return passwordVerifier(signIn, history);
      // Other built-in names cannot be asked for here [UNDOC].
      throw Errors.lambdaOutputUnrecognizable();
  }
}
