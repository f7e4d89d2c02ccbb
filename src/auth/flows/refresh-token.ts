/**
 * REFRESH_TOKEN_AUTH and its synonym REFRESH_TOKEN (ADMIN_INITIATE_AUTH.md §5.3): new ID and access
 * tokens from a refresh token issued to this client. No triggers but PreTokenGeneration (a later
 * issue), no challenges, no new refresh token.
 */
import { refreshTokenRotation } from "../../domain/clients.js";
import { Errors } from "../../domain/errors.js";
import { issueRefreshedTokens, lookupRefreshToken, type RefreshTokenRecord } from "../../domain/tokens.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { checkSecretHash } from "../steps/secret-hash.js";
import { type AuthFlowModule, BOTH_OPERATIONS } from "./flow.js";

/** The token the lookup step found; the steps after it cannot run without. */
function refreshRecord(signIn: SignIn): RefreshTokenRecord {
  if (!signIn.refreshToken) throw new Error("refresh step ran before the token was looked up");
  return signIn.refreshToken;
}

/** Clients with refresh-token rotation must use GetTokensFromRefreshToken [DG; message UNDOC]. */
const refuseWhenRotating: Step = (signIn) => {
  if (refreshTokenRotation(signIn.client).enabled) throw Errors.refreshTokenRotationEnabled();
  return undefined;
};

const lookUpToken: Step = async (signIn) => {
  const { services, client, request, now } = signIn;
  signIn.refreshToken = await lookupRefreshToken(services, client, request.parameters.REFRESH_TOKEN, now);
  return undefined;
};

/** The token's user, if it is still the same user (a deleted and re-created name is not). */
const loadTokenUser: Step = async (signIn) => {
  const record = refreshRecord(signIn);
  const user = await signIn.services.store.users.get(signIn.pool.id, record.usernameKey);
  if (!user || user.sub !== record.sub) throw Errors.invalidRefreshToken();
  signIn.user = user;
  return undefined;
};

/** SECRET_HASH over the token's username or its sub [UNDOC leniency, §5.3]. */
const checkRefreshSecretHash: Step = (signIn) => {
  const record = refreshRecord(signIn);
  checkSecretHash(signIn.client, [record.username, record.sub], signIn.request.parameters.SECRET_HASH);
  return undefined;
};

const refuseDisabledUser: Step = (signIn) => {
  if (!resolvedUser(signIn).enabled) throw Errors.userDisabled();
  return undefined;
};

const issueTokens: Step = async (signIn) => {
  const { services, pool, client, now } = signIn;
  const record = refreshRecord(signIn);
  const user = resolvedUser(signIn);
  return {
    kind: "tokens",
    result: await issueRefreshedTokens(services, { pool, client, user, record, now }),
  };
};

export const refreshTokenFlow: AuthFlowModule = {
  operations: BOTH_OPERATIONS,
  notEnabled: Errors.refreshTokenFlowNotEnabled,
  requiredParameters: ["REFRESH_TOKEN"],
  steps: [
    refuseWhenRotating,
    lookUpToken,
    loadTokenUser,
    checkRefreshSecretHash,
    refuseDisabledUser,
    // PreTokenGeneration trigger (TokenGeneration_RefreshTokens): a later issue.
    issueTokens,
  ],
};
