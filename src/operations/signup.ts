/** Self-service sign-up through an app client: SignUp, ConfirmSignUp, ResendConfirmationCode. */

import { confirmSignUp, resendSignUpCode, signUp } from "../auth/sign-up.js";
import { openSignUpSession } from "../auth/sign-up-session.js";
import { publicRequestContext } from "../domain/client-context.js";
import { Errors } from "../domain/errors.js";
import { requireClientAndPool } from "../domain/lookup.js";
import { validationDataMap } from "../domain/pre-sign-up.js";
import { verifySecretHash } from "../domain/secret-hash.js";
import type { Handler, HandlerTable } from "./types.js";

const SignUp: Handler<"SignUp"> = async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.services.store, input.ClientId);
  verifySecretHash(client, input.Username, input.SecretHash);
  if (input.Password === undefined) throw Errors.missingPassword();
  const { user, delivery } = await signUp(ctx.services, {
    pool,
    client,
    clientMetadata: input.ClientMetadata,
    now: ctx.now,
    username: input.Username,
    password: input.Password,
    attributes: input.UserAttributes ?? [],
    validationData: validationDataMap(input.ValidationData),
    context: publicRequestContext(ctx, client, input.UserContextData),
  });
  if (user.status === "CONFIRMED") return { UserConfirmed: true, UserSub: user.sub };
  return { UserConfirmed: false, UserSub: user.sub, CodeDeliveryDetails: delivery };
};

const ConfirmSignUp: Handler<"ConfirmSignUp"> = async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.services.store, input.ClientId);
  verifySecretHash(client, input.Username, input.SecretHash);
  const confirmed = await confirmSignUp(ctx.services, {
    pool,
    client,
    clientMetadata: input.ClientMetadata,
    now: ctx.now,
    username: input.Username,
    code: input.ConfirmationCode,
    forceAliasCreation: input.ForceAliasCreation,
  });
  // The Session signs the new user in with USER_AUTH, without a password (auth/sign-up-session.ts).
  const session = await openSignUpSession(ctx.services, { pool, client, user: confirmed, now: ctx.now });
  return session ? { Session: session } : {};
};

const ResendConfirmationCode: Handler<"ResendConfirmationCode"> = async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.services.store, input.ClientId);
  verifySecretHash(client, input.Username, input.SecretHash);
  const details = await resendSignUpCode(ctx.services, {
    pool,
    client,
    clientMetadata: input.ClientMetadata,
    now: ctx.now,
    username: input.Username,
  });
  return { CodeDeliveryDetails: details };
};

export const signUpHandlers = { SignUp, ConfirmSignUp, ResendConfirmationCode } satisfies HandlerTable;
