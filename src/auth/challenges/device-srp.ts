/**
 * DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER (CHALLENGES.md §3.10, §5.2): a remembered device
 * proves its secret with SRP, poolName := DeviceGroupKey and username := DeviceKey, against the
 * verifier ConfirmDevice stored. Both steps carry a Session; the SRP state still travels sealed in
 * SECRET_BLOCK, bound to that Session. A device forgotten meanwhile is `Device does not exist.`; a
 * wrong proof is `Incorrect username or password.` [UNDOC] and spends the Session.
 */
import { fromHex, toHex } from "../../crypto/srp.js";
import { type DeviceRecord, isRemembered, requireDevice } from "../../domain/devices.js";
import { Errors } from "../../domain/errors.js";
import type { AuthSessionRecord } from "../../store/auth-sessions.js";
import { consumeSession, openSession } from "../session.js";
import { resolvedUser, type SignIn } from "../sign-in.js";
import { checkedTimestamp, claimIsValid, clientPublicValue, serverPublicValue } from "../srp-proof.js";
import { newSrpState, openSrpState, sealSrpState, srpNumbers } from "../srp-state.js";
import type { ChallengeModule } from "./challenge.js";

function sessionOf(signIn: SignIn): AuthSessionRecord {
  if (!signIn.session) throw new Error("a device challenge was answered without its session");
  return signIn.session;
}

/** The remembered device the session waits for, as it is now; the answer must name it. */
async function sessionDevice(signIn: SignIn): Promise<DeviceRecord> {
  const deviceKey = signIn.request.parameters.DEVICE_KEY;
  if (deviceKey !== sessionOf(signIn).state.deviceKey) throw Errors.deviceNotFound();
  const device = await requireDevice(signIn.services.store, signIn.pool, resolvedUser(signIn), deviceKey);
  if (!isRemembered(device)) throw Errors.deviceNotFound();
  return device;
}

export const deviceSrpAuth: ChallengeModule = {
  name: "DEVICE_SRP_AUTH",
  requiresSession: true,
  requiredResponses: ["DEVICE_KEY", "SRP_A"],
  async answer(signIn) {
    const { services, pool, client, now } = signIn;
    const user = resolvedUser(signIn);
    const device = await sessionDevice(signIn);
    const A = clientPublicValue(signIn.request.parameters.SRP_A);
    const numbers = await serverPublicValue(services, fromHex(device.verifier as string), A);
    const state = newSrpState(
      {
        proof: "device",
        pool: pool.id,
        client: client.id,
        user: user.usernameKey,
        sub: user.sub,
        verifierSetAt: device.confirmedAt?.getTime() ?? null,
        device: device.deviceKey,
        flow: signIn.authFlow ?? null,
        withSession: true,
      },
      numbers,
      now,
    );
    const secretBlock = await sealSrpState(services.store, state);
    await consumeSession(services.store, sessionOf(signIn), now);
    signIn.device = device;
    return {
      kind: "challenge",
      challengeName: "DEVICE_PASSWORD_VERIFIER",
      challengeParameters: {
        SRP_B: toHex(numbers.B),
        SALT: device.salt as string,
        SECRET_BLOCK: secretBlock,
        USERNAME: user.username,
      },
      session: await openSession(signIn, "DEVICE_PASSWORD_VERIFIER", { srpBlockId: state.id }),
    };
  },
};

export const devicePasswordVerifier: ChallengeModule = {
  name: "DEVICE_PASSWORD_VERIFIER",
  requiresSession: true,
  requiredResponses: ["DEVICE_KEY", "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"],
  async answer(signIn) {
    const { services, now } = signIn;
    const parameters = signIn.request.parameters;
    const session = sessionOf(signIn);
    const user = resolvedUser(signIn);
    const state = await openSrpState(signIn, parameters.PASSWORD_CLAIM_SECRET_BLOCK, "device");
    if (state.id !== session.state.srpBlockId || state.user !== user.usernameKey || state.sub !== user.sub) {
      throw Errors.incorrectUsernameOrPassword();
    }
    const timestamp = checkedTimestamp(signIn, parameters.TIMESTAMP);
    const device = await sessionDevice(signIn);
    const valid = await claimIsValid(services, {
      numbers: srpNumbers(state),
      verifier: fromHex(device.verifier as string),
      poolName: device.groupKey,
      userId: device.deviceKey,
      secretBlock: parameters.PASSWORD_CLAIM_SECRET_BLOCK,
      timestamp,
      signature: parameters.PASSWORD_CLAIM_SIGNATURE,
    });
    await consumeSession(services.store, session, now);
    if (!valid) throw Errors.incorrectUsernameOrPassword();
    signIn.device = device;
    return undefined;
  },
};
