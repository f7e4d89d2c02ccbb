/**
 * Passkey registration with a software authenticator: the pool's WebAuthn configuration,
 * StartWebAuthnRegistration's creation options, CompleteWebAuthnRegistration and Cognito's WebAuthn
 * errors, ListWebAuthnCredentials, DeleteWebAuthnCredential, and the limit of 20 passkeys.
 */
import {
  AdminDeleteUserCommand,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserAuthFactorsCommand,
  GetUserPoolMfaConfigCommand,
  ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  type CreationOptions,
  type RegistrationOverrides,
  SoftwareAuthenticator,
} from "../../support/webauthn-authenticator.js";
import {
  accessToken,
  expectError,
  ORIGIN,
  RP_ID,
  type UserAuthPool,
  user,
  userAuthPool,
} from "../user-auth/support.js";

let server: TestServer;
let pool: UserAuthPool;
beforeAll(async () => {
  server = await startTestServer();
  pool = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"], {
    webAuthn: { RelyingPartyId: RP_ID, UserVerification: "preferred" },
  });
});
afterAll(async () => server.stop());

async function start(token: string): Promise<CreationOptions> {
  const out = await server.client.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
  return out.CredentialCreationOptions as unknown as CreationOptions;
}

function complete(token: string, credential: unknown) {
  return server.client.send(
    new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never }),
  );
}

async function register(
  token: string,
  authenticator: SoftwareAuthenticator,
  overrides: RegistrationOverrides = {},
): Promise<void> {
  await complete(token, authenticator.register(await start(token), overrides));
}

async function listed(token: string) {
  return (
    (await server.client.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials ?? []
  );
}

/** A new user of the pool and its access token. */
async function signedIn(username: string): Promise<string> {
  await user(server, pool, username);
  return accessToken(server, pool, username);
}

describe("the pool's WebAuthn configuration", () => {
  it("is set and read with the MFA configuration, defaults filled in", async () => {
    const other = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"]);
    const before = await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: other.poolId }));
    expect(before.WebAuthnConfiguration).toBeUndefined();
    const set = await server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: other.poolId,
        MfaConfiguration: "OFF",
        WebAuthnConfiguration: { RelyingPartyId: "login.example.org" },
      }),
    );
    const expected = {
      RelyingPartyId: "login.example.org",
      UserVerification: "preferred",
      FactorConfiguration: "SINGLE_FACTOR",
    };
    expect(set.WebAuthnConfiguration).toEqual(expected);
    const after = await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: other.poolId }));
    expect(after.WebAuthnConfiguration).toEqual(expected);
    expect(after.MfaConfiguration).toBe("OFF");
  });

  it("without a relying party, registration cannot start", async () => {
    const bare = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"]);
    await user(server, bare, "no-rp");
    const token = await accessToken(server, bare, "no-rp");
    await expectError(
      start(token),
      "WebAuthnConfigurationMissingException",
      "The user pool has no relying party ID for passkeys: set WebAuthnConfiguration.RelyingPartyId or add a domain.",
    );
  });

  it("without WEB_AUTHN among the pool's first factors, passkeys are off", async () => {
    const off = await userAuthPool(server, ["PASSWORD"], { webAuthn: { RelyingPartyId: RP_ID } });
    await user(server, off, "no-passkeys");
    const token = await accessToken(server, off, "no-passkeys");
    await expectError(
      start(token),
      "WebAuthnNotEnabledException",
      "WebAuthn is not enabled for the user pool.",
    );
    await expectError(
      complete(token, {}),
      "WebAuthnNotEnabledException",
      "WebAuthn is not enabled for the user pool.",
    );
  });
});

describe("StartWebAuthnRegistration", () => {
  it("answers creation options for the pool's relying party and the user", async () => {
    const token = await signedIn("starter");
    const options = (await start(token)) as CreationOptions & Record<string, unknown>;
    expect(options.rp).toEqual({ id: RP_ID, name: RP_ID });
    expect(options.user.name).toBe("starter");
    expect(options.user.displayName).toBe("starter");
    expect(options.user.id).toMatch(/^[\w-]+$/);
    expect(options.challenge).toMatch(/^[\w-]{43}$/);
    expect(options.pubKeyCredParams).toEqual([
      { alg: -7, type: "public-key" },
      { alg: -257, type: "public-key" },
    ]);
    expect(options.authenticatorSelection).toEqual({
      requireResidentKey: true,
      residentKey: "required",
      userVerification: "preferred",
    });
    expect(options.timeout).toBe(60000);
    expect(options.excludeCredentials).toEqual([]);
    expect((await start(token)).challenge).not.toBe(options.challenge);
  });

  it("needs a valid access token", async () => {
    await expectError(start("not.a.token"), "NotAuthorizedException", "Invalid Access Token");
  });
});

describe("CompleteWebAuthnRegistration", () => {
  it("stores the passkey: listed, excluded from the next registration, a factor of the user", async () => {
    const token = await signedIn("registrant");
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, attachment: "platform" });
    await register(token, authenticator);
    const [credential] = await listed(token);
    expect(credential).toMatchObject({
      CredentialId: authenticator.credentialIds[0],
      RelyingPartyId: RP_ID,
      AuthenticatorAttachment: "platform",
      AuthenticatorTransports: ["internal", "hybrid"],
      FriendlyCredentialName: "Platform passkey",
    });
    expect(credential.CreatedAt).toBeInstanceOf(Date);
    expect((await start(token)).excludeCredentials).toEqual([
      { id: authenticator.credentialIds[0], type: "public-key" },
    ]);
    const factors = await server.client.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    expect(factors.ConfiguredUserAuthFactors).toEqual(["PASSWORD", "WEB_AUTHN"]);
  });

  it("takes RS256 keys and origins on subdomains of the relying party", async () => {
    const token = await signedIn("rsa-user");
    const authenticator = new SoftwareAuthenticator({ origin: `https://accounts.${RP_ID}:8443` });
    await register(token, authenticator, { algorithm: "RS256" });
    expect(await listed(token)).toHaveLength(1);
  });

  it("needs a registration in progress, and completes it once", async () => {
    const token = await signedIn("once");
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const NOT_FOUND = "No passkey registration is in progress for the user, or it has expired.";
    await expectError(
      complete(
        token,
        authenticator.register({ challenge: "x", rp: { id: RP_ID }, user: { id: "u", name: "once" } }),
      ),
      "WebAuthnChallengeNotFoundException",
      NOT_FOUND,
    );
    const options = await start(token);
    await complete(token, authenticator.register(options));
    await expectError(
      complete(token, authenticator.register(options)),
      "WebAuthnChallengeNotFoundException",
      NOT_FOUND,
    );
  });

  it("refuses an answer to another challenge, and a registration past its time", async () => {
    const token = await signedIn("mismatched");
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const options = await start(token);
    await expectError(
      complete(token, authenticator.register(options, { challenge: "b3RoZXItY2hhbGxlbmdl" })),
      "WebAuthnChallengeNotFoundException",
      "The credential does not answer the passkey registration in progress.",
    );
    const previous = server.services.clock;
    server.services.clock = () => new Date(previous().getTime() + 6 * 60 * 1000);
    try {
      const late = await start(token);
      server.services.clock = () => new Date(previous().getTime() + 12 * 60 * 1000);
      await expectError(
        complete(token, authenticator.register(late)),
        "WebAuthnChallengeNotFoundException",
        "No passkey registration is in progress for the user, or it has expired.",
      );
    } finally {
      server.services.clock = previous;
    }
  });

  it("completed twice at once, stores one passkey", async () => {
    const token = await signedIn("racer");
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const options = await start(token);
    const results = await Promise.allSettled([
      complete(token, authenticator.register(options)),
      complete(token, authenticator.register(options)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await listed(token)).toHaveLength(1);
  });

  it("must be finished by the app client that started it", async () => {
    await user(server, pool, "two-apps");
    const second = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId,
        ClientName: "second",
        ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const first = await accessToken(server, pool, "two-apps");
    const other = await accessToken(
      server,
      { poolId: pool.poolId, client: { clientId: second.UserPoolClient?.ClientId as string } },
      "two-apps",
    );
    const options = await start(first);
    await expectError(
      complete(other, new SoftwareAuthenticator({ origin: ORIGIN }).register(options)),
      "WebAuthnClientMismatchException",
      "The passkey registration was started by another app client.",
    );
  });

  it("refuses an origin outside the relying party", async () => {
    const token = await signedIn("phished");
    const options = await start(token);
    for (const origin of [
      "https://app.example.com.evil.test",
      "http://app.example.com",
      "https://example.com",
    ]) {
      await expectError(
        complete(token, new SoftwareAuthenticator({ origin }).register(options)),
        "WebAuthnOriginNotAllowedException",
        `The origin ${origin} is not allowed for the relying party ${RP_ID}.`,
      );
    }
  });

  it("refuses a credential made for another relying party", async () => {
    const token = await signedIn("elsewhere");
    await expectError(
      complete(
        token,
        new SoftwareAuthenticator({ origin: ORIGIN }).register(await start(token), { rpId: "example.org" }),
      ),
      "WebAuthnRelyingPartyMismatchException",
      `The credential was not created for the relying party ${RP_ID}.`,
    );
  });

  it("refuses keys other than ES256 and RS256", async () => {
    const token = await signedIn("edwards");
    await expectError(
      complete(
        token,
        new SoftwareAuthenticator({ origin: ORIGIN }).register(await start(token), { algorithm: "EdDSA" }),
      ),
      "WebAuthnCredentialNotSupportedException",
      "The credential's algorithm or attestation format is not supported: use ES256 or RS256.",
    );
  });

  it("requires user verification when the pool does", async () => {
    const strict = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"], {
      webAuthn: { RelyingPartyId: RP_ID, UserVerification: "required" },
    });
    await user(server, strict, "unverified");
    const token = await accessToken(server, strict, "unverified");
    const options = await start(token);
    expect(options.authenticatorSelection?.userVerification).toBe("required");
    const lax = new SoftwareAuthenticator({ origin: ORIGIN, userVerification: false });
    await expectError(
      complete(token, lax.register(options)),
      "WebAuthnCredentialNotSupportedException",
      "The authenticator did not verify the user, and the user pool requires user verification.",
    );
  });

  it("refuses what is no WebAuthn credential", async () => {
    const token = await signedIn("garbled");
    await start(token);
    const MALFORMED = "The credential is not a valid WebAuthn public key credential.";
    await expectError(complete(token, "a string"), "InvalidParameterException", MALFORMED);
    await expectError(complete(token, { id: "x", response: {} }), "InvalidParameterException", MALFORMED);
    await expectError(
      complete(token, { id: "x", response: { clientDataJSON: "bm90IGpzb24", attestationObject: "AA" } }),
      "InvalidParameterException",
      MALFORMED,
    );
  });
});

describe("ListWebAuthnCredentials and DeleteWebAuthnCredential", () => {
  it("lists in pages and deletes the user's own passkeys only", async () => {
    const token = await signedIn("collector");
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    for (let i = 0; i < 3; i++) await register(token, authenticator);
    const first = await server.client.send(
      new ListWebAuthnCredentialsCommand({ AccessToken: token, MaxResults: 2 }),
    );
    expect(first.Credentials).toHaveLength(2);
    const second = await server.client.send(
      new ListWebAuthnCredentialsCommand({ AccessToken: token, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.Credentials).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const ids = [...(first.Credentials ?? []), ...(second.Credentials ?? [])].map((c) => c.CredentialId);
    expect(ids.sort()).toEqual([...authenticator.credentialIds].sort());

    const stranger = await signedIn("stranger");
    const NOT_FOUND = "Credential not found.";
    await expectError(
      server.client.send(
        new DeleteWebAuthnCredentialCommand({ AccessToken: stranger, CredentialId: ids[0] }),
      ),
      "ResourceNotFoundException",
      NOT_FOUND,
    );
    await server.client.send(
      new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: ids[0] }),
    );
    expect((await listed(token)).map((c) => c.CredentialId).sort()).toEqual(ids.slice(1).sort());
    await expectError(
      server.client.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: ids[0] })),
      "ResourceNotFoundException",
      NOT_FOUND,
    );
  });

  it("a user deleted and created again under the same name has no passkeys", async () => {
    const token = await signedIn("reborn");
    await register(token, new SoftwareAuthenticator({ origin: ORIGIN }));
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: "reborn" }));
    const again = await signedIn("reborn");
    expect(await listed(again)).toEqual([]);
  });
});

describe("the limit", () => {
  it("is 20 passkeys per user", async () => {
    const token = await signedIn("hoarder");
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    for (let i = 0; i < 20; i++) await register(token, authenticator);
    expect(await listed(token)).toHaveLength(20);
    await expectError(start(token), "LimitExceededException", "A user can register at most 20 passkeys.");
  });
});
