/**
 * Step 15: the end of a successful sign-in, after the PostAuthentication and PreTokenGeneration
 * triggers (see post-password.ts); the tokens carry what PreTokenGeneration changed.
 */
import { issueTokens } from "../../domain/tokens.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { deviceForTokens } from "./devices.js";

export const issueSignInTokens: Step = async (signIn: SignIn) => {
  const { services, pool, client, now } = signIn;
  const { deviceKey, newDeviceMetadata } = await deviceForTokens(signIn);
  const user = resolvedUser(signIn);
  const authTime = signIn.authTime ?? now;
  const result = await issueTokens(services, {
    pool,
    client,
    user,
    now,
    authTime,
    deviceKey,
    customization: signIn.tokenCustomization,
    // The sign-in's auth event id, when threat protection records one.
    eventId: signIn.threat?.eventId,
    oauth: signIn.request.hosted,
  });
  return {
    kind: "tokens",
    result: newDeviceMetadata ? { ...result, NewDeviceMetadata: newDeviceMetadata } : result,
    signedIn: { user, authTime },
  };
};
