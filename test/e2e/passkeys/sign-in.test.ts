/**
 * Passkey sign-in with a software authenticator: USER_AUTH's WEB_AUTHN challenge
 * (CREDENTIAL_REQUEST_OPTIONS) answered with CREDENTIAL, and the assertions it must refuse.
 */
import { AdminDeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { type AssertionOverrides, SoftwareAuthenticator } from "../../support/webauthn-authenticator.js";
import {
  answer,
  claims,
  expectError,
  expectTokens,
  ORIGIN,
  RP_ID,
  type UserAuthPool,
  user,
  userAuth,
  userAuthPool,
} from "../user-auth/support.js";
import { answerPasskey, registerPasskey, requestOptions } from "./support.js";

let server: TestServer;
let pool: UserAuthPool;
beforeAll(async () => {
  server = await startTestServer();
  pool = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"], {
    webAuthn: { RelyingPartyId: RP_ID, UserVerification: "preferred" },
  });
});
afterAll(async () => server.stop());

const NOT_VERIFIED = "The passkey could not be verified.";

/** A user of `target` with one passkey on a new software authenticator. */
async function withPasskey(
  username: string,
  target: UserAuthPool = pool,
  authenticator = new SoftwareAuthenticator({ origin: ORIGIN }),
): Promise<SoftwareAuthenticator> {
  await user(server, target, username);
  return registerPasskey(server, target, username, authenticator);
}

function passkeyChallenge(username: string, target: UserAuthPool = pool) {
  return userAuth(server, target, { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" });
}

function answerWith(
  username: string,
  session: string | undefined,
  credential: unknown,
  target: UserAuthPool = pool,
) {
  return answerPasskey(server, target, username, session, credential);
}

describe("the WEB_AUTHN challenge", () => {
  it("carries request options for the user's passkeys; the assertion signs in", async () => {
    const authenticator = await withPasskey("passkey-user");
    const out = await passkeyChallenge("passkey-user");
    expect(out.ChallengeName).toBe("WEB_AUTHN");
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD", "WEB_AUTHN"]);
    expect(Object.keys(out.ChallengeParameters ?? {})).toEqual(["CREDENTIAL_REQUEST_OPTIONS"]);
    const request = requestOptions(out);
    expect(request).toEqual({
      challenge: expect.stringMatching(/^[\w-]{43}$/),
      timeout: 180000,
      rpId: RP_ID,
      allowCredentials: [
        { type: "public-key", id: authenticator.credentialIds[0], transports: ["internal", "hybrid"] },
      ],
      userVerification: "preferred",
    });
    const done = await answerWith("passkey-user", out.Session, authenticator.authenticate(request));
    expectTokens(done);
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(claims(done.AuthenticationResult?.AccessToken).username).toBe("passkey-user");
  });

  it("is chosen through SELECT_CHALLENGE too, and the user signs in again and again", async () => {
    const authenticator = await withPasskey("returning");
    for (let i = 0; i < 3; i++) {
      const choice = await userAuth(server, pool, { USERNAME: "returning" });
      expect(choice.AvailableChallenges).toContain("WEB_AUTHN");
      const out = await answer(server, pool, "SELECT_CHALLENGE", choice.Session, {
        USERNAME: "returning",
        ANSWER: "WEB_AUTHN",
      });
      expect(out.ChallengeName).toBe("WEB_AUTHN");
      expectTokens(
        await answerWith("returning", out.Session, authenticator.authenticate(requestOptions(out))),
      );
    }
  });

  it("spends its Session on success", async () => {
    const authenticator = await withPasskey("spender");
    const out = await passkeyChallenge("spender");
    const assertion = authenticator.authenticate(requestOptions(out));
    expectTokens(await answerWith("spender", out.Session, assertion));
    await expectError(
      answerWith("spender", out.Session, authenticator.authenticate(requestOptions(out))),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("answered twice at once, signs in once", async () => {
    const authenticator = await withPasskey("double");
    const out = await passkeyChallenge("double");
    const request = requestOptions(out);
    const results = await Promise.allSettled([
      answerWith("double", out.Session, authenticator.authenticate(request)),
      answerWith("double", out.Session, authenticator.authenticate(request)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refusal = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refusal.reason.name).toBe("NotAuthorizedException");
  });

  it("is not offered to a user without a passkey", async () => {
    await user(server, pool, "keyless");
    const out = await passkeyChallenge("keyless");
    expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
  });
});

describe("assertions that fail", () => {
  async function refused(username: string, overrides: AssertionOverrides, message = NOT_VERIFIED) {
    const authenticator = await withPasskey(username);
    const out = await passkeyChallenge(username);
    await expectError(
      answerWith(username, out.Session, authenticator.authenticate(requestOptions(out), overrides)),
      "NotAuthorizedException",
      message,
    );
    // The failure leaves the Session usable.
    expectTokens(await answerWith(username, out.Session, authenticator.authenticate(requestOptions(out))));
  }

  it("a forged signature", () => refused("forged", { forgeSignature: true }));
  it("another challenge", () => refused("replayer", { challenge: "c29tZSBvdGhlciBjaGFsbGVuZ2U" }));
  it("an origin outside the relying party", () => refused("phished-signin", { origin: "https://evil.test" }));
  it("another relying party", () => refused("wrong-rp", { rpId: "example.org" }));
  it("a registration instead of an assertion", () => refused("wrong-type", { type: "webauthn.create" }));

  it("a signature counter that does not move on (a cloned authenticator)", async () => {
    const authenticator = await withPasskey("cloned");
    const first = await passkeyChallenge("cloned");
    expectTokens(
      await answerWith(
        "cloned",
        first.Session,
        authenticator.authenticate(requestOptions(first), { counter: 5 }),
      ),
    );
    const second = await passkeyChallenge("cloned");
    await expectError(
      answerWith(
        "cloned",
        second.Session,
        authenticator.authenticate(requestOptions(second), { counter: 5 }),
      ),
      "NotAuthorizedException",
      NOT_VERIFIED,
    );
  });

  it("a passkey of another user", async () => {
    const theirs = await withPasskey("owner");
    await withPasskey("borrower");
    const out = await passkeyChallenge("borrower");
    await expectError(
      answerWith(
        "borrower",
        out.Session,
        theirs.authenticate(requestOptions(out), { credentialId: theirs.credentialIds[0] }),
      ),
      "NotAuthorizedException",
      "The passkey is not registered for the user.",
    );
  });

  it("a passkey deleted since", async () => {
    const authenticator = await withPasskey("forgetful");
    const out = await passkeyChallenge("forgetful");
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: "forgetful" }));
    await expectError(
      answerWith("forgetful", out.Session, authenticator.authenticate(requestOptions(out))),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("an unverified user where the pool requires verification", async () => {
    const strict = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"], {
      webAuthn: { RelyingPartyId: RP_ID, UserVerification: "required" },
    });
    const authenticator = await withPasskey("strict-user", strict);
    const out = await passkeyChallenge("strict-user", strict);
    expect(requestOptions(out).userVerification).toBe("required");
    await expectError(
      answerWith(
        "strict-user",
        out.Session,
        authenticator.authenticate(requestOptions(out), { userVerified: false }),
        strict,
      ),
      "NotAuthorizedException",
      NOT_VERIFIED,
    );
  });

  it("what is no credential", async () => {
    await withPasskey("garbler");
    const out = await passkeyChallenge("garbler");
    await expectError(
      answerWith("garbler", out.Session, "{not json"),
      "InvalidParameterException",
      "The credential is not a valid WebAuthn public key credential.",
    );
    await expectError(
      answer(server, pool, "WEB_AUTHN", out.Session, { USERNAME: "garbler" }),
      "InvalidParameterException",
      "Missing required parameter CREDENTIAL",
    );
  });
});

describe("a user that does not exist, for clients hiding user existence", () => {
  it("gets a passkey challenge no passkey answers", async () => {
    const hiding = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"], {
      webAuthn: { RelyingPartyId: RP_ID },
      client: { PreventUserExistenceErrors: "ENABLED" },
    });
    const stranger = await withPasskey("real-one", hiding);
    const out = await passkeyChallenge("nobody", hiding);
    expect(out.ChallengeName).toBe("WEB_AUTHN");
    expect(requestOptions(out).allowCredentials).toEqual([]);
    await expectError(
      answerWith(
        "nobody",
        out.Session,
        stranger.authenticate(requestOptions(out), { credentialId: stranger.credentialIds[0] }),
        hiding,
      ),
      "NotAuthorizedException",
      "The passkey is not registered for the user.",
    );
  });
});
