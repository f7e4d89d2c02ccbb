/**
 * NEW_PASSWORD_REQUIRED (CHALLENGES.md §3.2): a user with a temporary password proves it, then
 * must choose a password of their own and supply the required attributes they lack.
 */

import { applyAttributeUpdates } from "../../domain/attributes.js";
import { readableAttributes } from "../../domain/clients.js";
import { checkNewPassword } from "../../domain/compromised-credentials.js";
import { Errors } from "../../domain/errors.js";
import { setPassword } from "../../domain/passwords.js";
import { requiredAttributes } from "../../domain/pools.js";
import { saveUser } from "../../domain/users.js";
import type { AttributeType } from "../../protocol/types.generated.js";
import type { PoolRecord, UserRecord } from "../../store/records.js";
import { consumeSession, openSession } from "../session.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import type { ChallengeModule } from "./challenge.js";

const ATTRIBUTE_PREFIX = "userAttributes.";

/** Schema-required attributes the user has no value for (`sub` is always there). */
function missingRequiredAttributes(pool: PoolRecord, user: UserRecord): string[] {
  return requiredAttributes(pool).filter((name) => name !== "sub" && !user.attributes[name]);
}

/** The challenge's parameters: who, what they have (readable by this client, never `sub`), what they lack. */
function challengeParameters(signIn: SignIn, user: UserRecord): Record<string, string> {
  const readable = new Set(readableAttributes(signIn.pool, signIn.client));
  const attributes = Object.fromEntries(
    Object.entries(user.attributes).filter(([name]) => name !== "sub" && readable.has(name)),
  );
  return {
    USER_ID_FOR_SRP: user.username,
    requiredAttributes: JSON.stringify(
      missingRequiredAttributes(signIn.pool, user).map((name) => `${ATTRIBUTE_PREFIX}${name}`),
    ),
    userAttributes: JSON.stringify(attributes),
  };
}

/** The post-password step that issues the challenge to a user still on a temporary password. */
export const challengeNewPassword: Step = async (signIn: SignIn) => {
  const user = resolvedUser(signIn);
  if (user.status !== "FORCE_CHANGE_PASSWORD") return undefined;
  return {
    kind: "challenge",
    challengeName: "NEW_PASSWORD_REQUIRED",
    challengeParameters: challengeParameters(signIn, user),
    session: await openSession(signIn, "NEW_PASSWORD_REQUIRED"),
  };
};

/** The `userAttributes.<name>` answers, as attributes. */
function answeredAttributes(responses: Record<string, string>): AttributeType[] {
  return Object.entries(responses)
    .filter(([key]) => key.startsWith(ATTRIBUTE_PREFIX))
    .map(([key, value]) => ({ Name: key.slice(ATTRIBUTE_PREFIX.length), Value: value }));
}

/**
 * A required attribute that already has a value cannot be given again [API], and every required
 * attribute the user lacks must be given [OBS].
 */
function checkRequiredAttributes(pool: PoolRecord, user: UserRecord, given: AttributeType[]): void {
  const required = new Set(requiredAttributes(pool));
  for (const { Name: name } of given) {
    if (required.has(name) && user.attributes[name]) throw Errors.requiredAttributeAlreadyProvided(name);
  }
  const givenNames = new Set(given.filter((a) => a.Value).map((a) => a.Name));
  const missing = missingRequiredAttributes(pool, user).find((name) => !givenNames.has(name));
  if (missing) throw Errors.requiredAttributeMissing(missing);
}

export const newPasswordRequired: ChallengeModule = {
  name: "NEW_PASSWORD_REQUIRED",
  requiresSession: true,
  requiredResponses: ["NEW_PASSWORD"],
  async answer(signIn) {
    const { services, pool, client, now } = signIn;
    const responses = signIn.request.parameters;
    const user = resolvedUser(signIn);
    const attributes = answeredAttributes(responses);
    // The password first: a policy failure leaves the session usable for another try.
    let updated = setPassword(pool, user, responses.NEW_PASSWORD, { now });
    await checkNewPassword(services, {
      pool,
      clientId: client.id,
      user,
      password: responses.NEW_PASSWORD,
      event: "PASSWORD_CHANGE",
      context: signIn.threat?.context,
      now,
    });
    checkRequiredAttributes(pool, user, attributes);
    updated = applyAttributeUpdates(pool, updated, attributes, { writer: { client }, now }).user;
    const session = signIn.session;
    if (!session) throw new Error("NEW_PASSWORD_REQUIRED answered without a session");
    await services.store.transaction(async (tx) => {
      await consumeSession(tx, session, now);
      await saveUser(tx, pool, updated);
    });
    signIn.user = updated;
    return undefined;
  },
};
