/**
 * REFRESH_TOKEN_AUTH and its synonym REFRESH_TOKEN (ADMIN_INITIATE_AUTH.md §5.3): new ID and access
 * tokens from a refresh token issued to this client. No triggers but PreTokenGeneration
 * (TokenGeneration_RefreshTokens), no challenges, no new refresh token.
 */
import { refreshTokenRotation } from "../../domain/clients.js";
import { Errors } from "../../domain/errors.js";
import { issueRefreshedTokens, type RefreshTokenRecord, resolveRefreshToken } from "../../domain/tokens.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { checkSecretHash } from "../steps/secret-hash.js";
import { preTokenGeneration } from "../steps/triggers.js";
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

/** The token and its user, in Cognito's order: unknown or foreign, user gone or disabled, revoked, expired. */
const resolveToken: Step = async (signIn) => {
  const { services, pool, client, request, now } = signIn;
  const { record, user } = await resolveRefreshToken(services, {
    pool,
    client,
    refreshToken: request.parameters.REFRESH_TOKEN,
    deviceKey: request.parameters.DEVICE_KEY,
    now,
    missingUser: "invalidToken",
  });
  signIn.refreshToken = record;
  signIn.user = user;
  return undefined;
};

/** SECRET_HASH over the token's username or its sub [UNDOC leniency, §5.3]. */
const checkRefreshSecretHash: Step = (signIn) => {
  const record = refreshRecord(signIn);
  checkSecretHash(signIn.client, [record.username, record.sub], signIn.request.parameters.SECRET_HASH);
  return undefined;
};

const issueTokens: Step = async (signIn) => {
  const { services, pool, client, now } = signIn;
  const record = refreshRecord(signIn);
  const user = resolvedUser(signIn);
  const customization = signIn.tokenCustomization;
  return {
    kind: "tokens",
    result: await issueRefreshedTokens(services, { pool, client, user, record, now, customization }),
  };
};

export const refreshTokenFlow: AuthFlowModule = {
  operations: BOTH_OPERATIONS,
  notEnabled: Errors.refreshTokenFlowNotEnabled,
  requiredParameters: ["REFRESH_TOKEN"],
  steps: [refuseWhenRotating, resolveToken, checkRefreshSecretHash, preTokenGeneration, issueTokens],
};
