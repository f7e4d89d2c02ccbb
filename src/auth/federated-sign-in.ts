/**
 * A sign-in through an outside identity provider (FEDERATION.md §2.8, §3.5, §4.5), once the
 * provider's answer has been checked: the user the identity signs in as is found or created, the
 * triggers run with the sources Cognito gives federated sign-ins, and tokens are issued for the
 * domain's grant. Threat protection records the sign-in as an auth event (its risk is weighed for
 * the history, never acted on [UNDOC]).
 *
 * - First sign-in: PreSignUp (`PreSignUp_ExternalProvider`), the profile, PostConfirmation
 *   (`PostConfirmation_ConfirmSignUp`). A link the PreSignUp function made is honoured [UNDOC].
 * - Later sign-ins (and a linked user's): PreAuthentication, the account's state, the attributes
 *   written again, PostAuthentication.
 * - Both: first the inbound federation function (`InboundFederation_ExternalProvider`), which may
 *   give the attributes to map; last PreTokenGeneration with `TokenGeneration_HostedAuth`.
 */

import { mapProviderAttributes } from "../domain/attribute-mapping.js";
import type { Connection } from "../domain/client-context.js";
import { preventUserExistenceErrors } from "../domain/clients.js";
import { CognitoError, Errors } from "../domain/errors.js";
import {
  createFederatedUser,
  type FederatedUser,
  findUserForIdentity,
  type OutsideIdentity,
  updateFederatedUser,
} from "../domain/federated-users.js";
import { federatedUsername } from "../domain/identities.js";
import { issueTokens, type OAuthGrant } from "../domain/tokens.js";
import type { Services } from "../services.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/records.js";
import { runInboundFederation } from "../triggers/federation.js";
import { tokenCustomizationFor } from "../triggers/pre-token.js";
import { runPostAuthentication, runPreAuthentication } from "../triggers/sign-in.js";
import { runPostConfirmation, runPreSignUp } from "../triggers/sign-up.js";
import type { AuthOutcome, SignIn } from "./sign-in.js";
import { startThreat, withAuthEvent } from "./threat.js";

export interface FederatedSignInRequest {
  pool: PoolRecord;
  client: ClientRecord;
  identity: OutsideIdentity;
  /** What the domain's authorization request grants: the tokens' scopes and nonce. */
  grant: OAuthGrant;
  /** The browser's connection, which the auth event records. */
  connection?: Connection;
}

/** An identity's first sign-in: its profile is made, unless the PreSignUp function linked it meanwhile. */
async function firstSignIn(signIn: SignIn, identity: OutsideIdentity): Promise<UserRecord> {
  const { services, pool, client, now } = signIn;
  const decision = await runPreSignUp(services, {
    pool,
    clientId: client.id,
    source: "PreSignUp_ExternalProvider",
    userName: federatedUsername(pool, identity.provider.name, identity.subject),
    attributes: mapProviderAttributes(identity.provider, identity.attributes),
  });
  const linked = await findUserForIdentity(services.store, pool, identity);
  if (linked) return laterSignIn(signIn, linked, identity);
  let user: UserRecord;
  try {
    user = await createFederatedUser(services.store, pool, identity, now, { client, preSignUp: decision });
  } catch (error) {
    // The same identity's first sign-in in another tab made the profile first: this is a later one.
    const made = error instanceof CognitoError && error.type === "UsernameExistsException";
    const found = made && (await findUserForIdentity(services.store, pool, identity));
    if (found) return laterSignIn(signIn, found, identity);
    throw error;
  }
  await runPostConfirmation(services, {
    pool,
    clientId: client.id,
    source: "PostConfirmation_ConfirmSignUp",
    user,
  });
  return user;
}

/** A sign-in as a user that exists: the identity's own profile, or the user it is linked to. */
async function laterSignIn(
  signIn: SignIn,
  found: FederatedUser,
  identity: OutsideIdentity,
): Promise<UserRecord> {
  const { services, pool, client, now } = signIn;
  signIn.user = found.user;
  await runPreAuthentication(services, {
    pool,
    clientId: client.id,
    user: found.user,
    preventUserExistenceErrors: preventUserExistenceErrors(client) === "ENABLED",
  });
  if (!found.user.enabled) throw Errors.userDisabled();
  const user = await updateFederatedUser(services.store, pool, found, identity, now, { client });
  // Federated sign-ins go through managed login, which never remembers devices [DG].
  await runPostAuthentication(services, { pool, clientId: client.id, user, newDeviceUsed: false });
  return user;
}

/** The identity with the attributes the inbound federation function gave in place of the provider's. */
async function withInboundFederation(
  services: Services,
  request: FederatedSignInRequest,
  userName: string,
): Promise<OutsideIdentity> {
  const { identity } = request;
  const replacement = await runInboundFederation(services, {
    pool: request.pool,
    clientId: request.client.id,
    userName,
    providerName: identity.provider.name,
    providerType: identity.provider.type,
    answer: identity.answer ?? {},
  });
  return replacement ? { ...identity, attributes: replacement } : identity;
}

/** Signs the identity in: the user it is, the triggers, and the tokens of the grant. */
export async function federatedSignIn(
  services: Services,
  now: Date,
  request: FederatedSignInRequest,
): Promise<AuthOutcome> {
  const { pool, client, grant } = request;
  const username = federatedUsername(pool, request.identity.provider.name, request.identity.subject);
  const signIn: SignIn = {
    services,
    now,
    pool,
    client,
    request: {
      operation: "InitiateAuth",
      clientId: client.id,
      parameters: { USERNAME: username },
      connection: request.connection,
      hosted: grant,
    },
  };
  startThreat(signIn);
  return withAuthEvent(signIn, async () => {
    const identity = await withInboundFederation(services, request, username);
    const found = await findUserForIdentity(services.store, pool, identity);
    const user = found ? await laterSignIn(signIn, found, identity) : await firstSignIn(signIn, identity);
    signIn.user = user;
    const customization = await tokenCustomizationFor(services, {
      pool,
      clientId: client.id,
      source: "TokenGeneration_HostedAuth",
      user,
      scopes: grant.scopes,
    });
    const result = await issueTokens(services, {
      pool,
      client,
      user,
      now,
      authTime: now,
      customization,
      eventId: signIn.threat?.eventId,
      oauth: grant,
    });
    return { kind: "tokens", result, signedIn: { user, authTime: now } };
  });
}
