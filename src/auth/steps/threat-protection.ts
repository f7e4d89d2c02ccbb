/**
 * Step 13, threat protection (ADMIN_INITIATE_AUTH.md §4, §15): after the first factor, the sign-in's
 * risk is weighed and, in ENFORCED mode, acted on as the risk configuration says: the pool's
 * always-block ranges refuse the request; a breached password with BLOCK puts the user in
 * RESET_REQUIRED; the account-takeover action of the risk level blocks, asks for MFA or lets the
 * sign-in go on, telling the user by email when configured. AUDIT mode only records.
 */

import { newFeedbackToken, notifyUser } from "../../domain/auth-events.js";
import { isBreachedPassword } from "../../domain/breached-passwords.js";
import { Errors } from "../../domain/errors.js";
import {
  enabledPoolFactors,
  hasMeansFor,
  MFA_FACTORS,
  poolMfaFactors,
  userMfaSettings,
} from "../../domain/mfa.js";
import {
  accountTakeoverAction,
  compromisedCredentialsAction,
  effectiveRiskConfiguration,
} from "../../domain/threat-protection.js";
import type { AccountTakeoverActionType, AuthFlowType } from "../../protocol/types.generated.js";
import type { UserRecord } from "../../store/records.js";
import type { StoredRiskConfiguration } from "../../store/risk-configurations.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { assessSignIn, MFA_CHALLENGES, type ThreatState } from "../threat.js";
import { factorChallenge } from "./mfa.js";

/** The flows whose request carries the password itself: only there can it be checked against breaches [DG]. */
const PLAINTEXT_FLOWS: readonly AuthFlowType[] = [
  "ADMIN_USER_PASSWORD_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "USER_PASSWORD_AUTH",
];

function plaintextPassword(signIn: SignIn): string | undefined {
  if (!signIn.authFlow || !PLAINTEXT_FLOWS.includes(signIn.authFlow)) return undefined;
  return signIn.request.parameters.PASSWORD;
}

/** A breached password with BLOCK: the user must reset it before signing in again [DG compromised credentials]. */
async function blockCompromised(signIn: SignIn, user: UserRecord, threat: ThreatState): Promise<never> {
  threat.actions.push("BLOCK");
  await signIn.services.store.users.update({ ...user, status: "RESET_REQUIRED", updatedAt: signIn.now });
  throw Errors.passwordResetRequired();
}

async function notify(
  signIn: SignIn,
  user: UserRecord,
  threat: ThreatState,
  action: AccountTakeoverActionType,
  config: StoredRiskConfiguration | undefined,
): Promise<void> {
  if (!action.Notify) return;
  const { token, hash } = newFeedbackToken();
  threat.feedbackTokenHash = hash;
  const sent = await notifyUser(signIn.services.messages, {
    baseUrl: signIn.services.baseUrl,
    user,
    event: {
      poolId: signIn.pool.id,
      eventId: threat.eventId,
      username: user.username,
      createdAt: new Date(threat.startedAt),
      ip: threat.context.ip,
      deviceName: threat.context.deviceName,
    },
    feedbackToken: token,
    action: action.EventAction,
    notify: config?.AccountTakeoverRiskConfiguration?.NotifyConfiguration,
    now: signIn.now,
  });
  if (sent) threat.actions.push("NOTIFY");
}

async function enforce(
  signIn: SignIn,
  user: UserRecord,
  threat: ThreatState,
  config: StoredRiskConfiguration | undefined,
): Promise<void> {
  const assessment = threat.assessment;
  if (assessment?.decision === "Block") {
    threat.actions.push("BLOCK");
    throw Errors.requestBlockedForSecurity();
  }
  if (threat.compromised && compromisedCredentialsAction(config, "SIGN_IN") === "BLOCK") {
    await blockCompromised(signIn, user, threat);
  }
  const action = accountTakeoverAction(config, assessment?.level);
  if (!action) return;
  threat.actions.push(action.EventAction);
  await notify(signIn, user, threat, action, config);
  if (action.EventAction === "BLOCK") throw Errors.signInBlockedForSecurity();
  if (action.EventAction === "MFA_IF_CONFIGURED") threat.mfa = "IF_CONFIGURED";
  if (action.EventAction === "MFA_REQUIRED") threat.mfa = "REQUIRED";
}

export const evaluateThreat: Step = async (signIn: SignIn) => {
  const threat = signIn.threat;
  if (!threat || threat.assessment) return undefined;
  const user = resolvedUser(signIn);
  const config = (await effectiveRiskConfiguration(signIn.services.store, signIn.pool.id, signIn.client.id))
    ?.config;
  threat.challenges.push({ ChallengeName: "Password", ChallengeResponse: "Success" });
  threat.assessment = await assessSignIn(signIn, threat, config);
  const password = plaintextPassword(signIn);
  threat.compromised = password !== undefined && isBreachedPassword(password);
  if (threat.mode === "ENFORCED") await enforce(signIn, user, threat, config);
  return undefined;
};

/**
 * After the MFA step: the risk asked for MFA and none was met (the pool's MFA is optional and the
 * user turned none on). A user with the means for one of the pool's factors meets it now; one
 * without is let in (MFA_IF_CONFIGURED) or blocked (MFA_REQUIRED) [DG adaptive authentication].
 */
export const enforceRiskMfa: Step = async (signIn: SignIn) => {
  const threat = signIn.threat;
  if (!threat?.mfa) return undefined;
  const session = signIn.session?.challengeName;
  const answered = session !== undefined && (MFA_CHALLENGES as readonly string[]).includes(session);
  if (answered || threat.challenges.some((c) => c.ChallengeName === "Mfa")) return undefined;
  const user = resolvedUser(signIn);
  const poolFactors = enabledPoolFactors(
    signIn.pool,
    await poolMfaFactors(signIn.services.store, signIn.pool),
  );
  const usable = MFA_FACTORS.filter((f) => poolFactors.has(f) && hasMeansFor(user, f));
  const preferred = userMfaSettings(user).preferred;
  if (usable.length)
    return factorChallenge(signIn, preferred && usable.includes(preferred) ? preferred : usable[0]);
  if (threat.mfa === "REQUIRED") throw Errors.signInBlockedForSecurity();
  return undefined;
};
