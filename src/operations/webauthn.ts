/**
 * A signed-in user's passkeys and sign-in factors, with its access token: StartWebAuthnRegistration,
 * CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential and
 * GetUserAuthFactors.
 */
import { requireAccessToken } from "../auth/access-token.js";
import { enabledUserFactors, userMfaDescription } from "../domain/mfa.js";
import { decodeNextToken, page } from "../domain/pagination.js";
import { configuredAuthFactors } from "../domain/sign-in-factors.js";
import {
  completeRegistration,
  deleteCredential,
  describeCredential,
  MAX_PASSKEYS_PER_USER,
  passkeyFacts,
  startRegistration,
} from "../domain/webauthn.js";
import type { Handler, HandlerTable } from "./types.js";

const StartWebAuthnRegistration: Handler<"StartWebAuthnRegistration"> = async (input, ctx) => {
  const { pool, user, claims } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  const options = await startRegistration(ctx.services.store, {
    pool,
    user,
    clientId: claims.client_id,
    now: ctx.now,
  });
  return { CredentialCreationOptions: options };
};

const CompleteWebAuthnRegistration: Handler<"CompleteWebAuthnRegistration"> = async (input, ctx) => {
  const { pool, user, claims } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  await completeRegistration(ctx.services.store, {
    pool,
    user,
    clientId: claims.client_id,
    credential: input.Credential,
    now: ctx.now,
  });
  return {};
};

const ListWebAuthnCredentials: Handler<"ListWebAuthnCredentials"> = async (input, ctx) => {
  const { pool, user } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  const limit = input.MaxResults || MAX_PASSKEYS_PER_USER;
  const after = decodeNextToken(input.NextToken);
  const found = await ctx.services.store.webAuthn.listCredentials(pool.id, user.sub, limit + 1, after);
  const { items, nextToken } = page(found, limit, (c) => c.credentialId);
  return { Credentials: items.map(describeCredential), NextToken: nextToken };
};

const DeleteWebAuthnCredential: Handler<"DeleteWebAuthnCredential"> = async (input, ctx) => {
  const { pool, user } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  await deleteCredential(ctx.services.store, pool, user, input.CredentialId);
  return {};
};

const GetUserAuthFactors: Handler<"GetUserAuthFactors"> = async (input, ctx) => {
  const { pool, user } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  const passkeys = await passkeyFacts(ctx.services.store, pool, user);
  const hasMfa = enabledUserFactors(user).length > 0;
  const { PreferredMfaSetting, UserMFASettingList } = userMfaDescription(user);
  return {
    Username: user.username,
    PreferredMfaSetting,
    UserMFASettingList,
    ConfiguredUserAuthFactors: configuredAuthFactors(pool, user, { ...passkeys, hasMfa }),
  };
};

export const webAuthnHandlers = {
  StartWebAuthnRegistration,
  CompleteWebAuthnRegistration,
  ListWebAuthnCredentials,
  DeleteWebAuthnCredential,
  GetUserAuthFactors,
} satisfies HandlerTable;
