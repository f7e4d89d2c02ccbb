/**
 * The steps after the password on the sign-in page, as a browser without JavaScript walks them:
 * a new password (with a missing required attribute), SMS, email and authenticator codes, the
 * choice of a factor, and setting MFA up with an authenticator app or by email. Each step's errors
 * keep the step with the same Session; an expired Session goes back to the sign-in page.
 */
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  CreateManagedLoginBrandingCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { qrSvg } from "../../../src/pages/qr-code.js";
import { createUser, PASSWORD, TEMPORARY_PASSWORD } from "../../support/fixtures.js";
import {
  Agent,
  type AgentResponse,
  callbackParameters,
  createOAuthApp,
  formAction,
  jwtPayload,
  type OAuthApp,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  advanceClock,
  DEVELOPER_EMAIL,
  enrolSoftwareToken,
  freezeClockMidStep,
  lastCode,
  SMS_CONFIGURATION,
  totp,
} from "../mfa/support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());
beforeEach(() => freezeClockMidStep(server));

/** A pool with a domain, the MFA configuration given, and an OAuth client. */
async function appWithMfa(
  mfa: Omit<SetUserPoolMfaConfigCommandInput, "UserPoolId"> | undefined,
  pool: Record<string, unknown> = {},
): Promise<OAuthApp> {
  const app = await createOAuthApp(server, { pool: { EmailConfiguration: DEVELOPER_EMAIL, ...pool } });
  if (mfa) await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: app.poolId, ...mfa }));
  return app;
}

/** Every hidden field of the page's first form, by name. */
function hiddenFields(body: string): Record<string, string> {
  const form = body.slice(body.indexOf("<form"), body.indexOf("</form>"));
  const fields: Record<string, string> = {};
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) {
    fields[name] = value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }
  return fields;
}

/** Posts a step's form with its hidden fields and the answers given. */
function answer(agent: Agent, page: AgentResponse, fields: Record<string, string>): Promise<AgentResponse> {
  return agent.post(formAction(page.body), { ...hiddenFields(page.body), ...fields });
}

/** The page's error line (the first copy). */
function errorOf(page: AgentResponse): string | undefined {
  return /class="errorMessage-customizable"[^>]*>([^<]*)</.exec(page.body)?.[1].replace(/&#39;/g, "'");
}

function headingOf(page: AgentResponse): string | undefined {
  return /<h1>([^<]*)<\/h1>/.exec(page.body)?.[1];
}

/** The redirect to the app carries a code that gives tokens; returns the ID token's claims. */
async function expectSignedIn(app: OAuthApp, response: AgentResponse): Promise<Record<string, unknown>> {
  expect(response.status).toBe(302);
  expect(response.location?.startsWith(REDIRECT_URI)).toBe(true);
  const callback = callbackParameters(response.location);
  expect(callback.get("state")).toBe("state-123");
  const tokens = await tokenRequest(app, {
    grant_type: "authorization_code",
    client_id: app.clientId,
    code: callback.get("code") ?? "",
    redirect_uri: app.redirectUri,
  });
  expect(tokens.status).toBe(200);
  return jwtPayload(tokens.body.id_token);
}

async function signIn(app: OAuthApp, username: string, password = PASSWORD) {
  const agent = new Agent(server.url);
  const page = await signInOnPage(agent, app, { username, password });
  return { agent, page };
}

function wrongCode(code: string): string {
  return code.endsWith("0") ? `${code.slice(0, -1)}1` : `${code.slice(0, -1)}0`;
}

describe("a new password", () => {
  it("asks for it twice and for the missing required attribute; refuses a mismatch and a weak password on the same step", async () => {
    const app = await appWithMfa(undefined, {
      Schema: [{ Name: "given_name", AttributeDataType: "String", Required: true, Mutable: true }],
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
    });
    await createUser(server, app.poolId, "nora", {
      temporary: true,
      attributes: [{ Name: "email", Value: "nora@example.com" }],
    });
    const { agent, page } = await signIn(app, "nora", TEMPORARY_PASSWORD);
    expect(page.status).toBe(200);
    expect(headingOf(page)).toBe("Change password");
    expect(page.body).toContain('name="newPassword"');
    expect(page.body).toContain('name="confirmNewPassword"');
    expect(page.body).toContain(
      '<label class="field"><span class="label-customizable">Given name</span><input id="requiredAttributes-given_name" name="requiredAttributes[given_name]"',
    );
    const session = hiddenFields(page.body).session;

    const differ = await answer(agent, page, {
      newPassword: "Another-pass-1",
      confirmNewPassword: "Another-pass-2",
      "requiredAttributes[given_name]": "Nora",
    });
    expect(errorOf(differ)).toBe("The passwords you entered do not match.");
    expect(hiddenFields(differ.body).session).toBe(session);

    const weak = await answer(agent, differ, {
      newPassword: "Sh0rt!",
      confirmNewPassword: "Sh0rt!",
      "requiredAttributes[given_name]": "Nora",
    });
    expect(errorOf(weak)).toBe("Password does not conform to policy: Password not long enough");
    expect(hiddenFields(weak.body).session).toBe(session);

    const missing = await answer(agent, weak, {
      newPassword: "Another-pass-1",
      confirmNewPassword: "Another-pass-1",
    });
    expect(errorOf(missing)).toBe("Invalid attributes given, given_name is missing");

    const done = await answer(agent, missing, {
      newPassword: "Another-pass-1",
      confirmNewPassword: "Another-pass-1",
      "requiredAttributes[given_name]": "Nora",
    });
    const claims = await expectSignedIn(app, done);
    expect(claims["cognito:username"]).toBe("nora");
    const nora = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "nora" }),
    );
    expect(nora.UserStatus).toBe("CONFIRMED");
    expect(nora.UserAttributes).toContainEqual({ Name: "given_name", Value: "Nora" });
  });

  it("goes back to the sign-in page with Cognito's message once the Session has expired", async () => {
    const app = await appWithMfa(undefined);
    await createUser(server, app.poolId, "olga", { temporary: true });
    const { agent, page } = await signIn(app, "olga", TEMPORARY_PASSWORD);
    advanceClock(server, 3 * 60_000 + 1);
    const late = await answer(agent, page, {
      newPassword: "Another-pass-1",
      confirmNewPassword: "Another-pass-1",
    });
    expect(late.status).toBe(200);
    expect(late.body).toContain('name="cognitoSignInForm"');
    expect(errorOf(late)).toBe("Invalid session for the user, session is expired.");
    // The name is kept for the next try.
    expect(late.body).toContain('value="olga"');
  });
});

describe("MFA codes", () => {
  it("SMS: shows where the code went; a wrong code keeps the step and its Session; the right one reaches the app", async () => {
    const app = await appWithMfa({
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
    });
    await createUser(server, app.poolId, "sam", {
      attributes: [{ Name: "phone_number", Value: "+15555550300" }],
    });
    const { agent, page } = await signIn(app, "sam");
    expect(headingOf(page)).toBe("Enter your code");
    expect(page.body).toContain("We sent a code by text message to +*******0300.");
    expect(page.body).toContain('autocomplete="one-time-code"');
    const code = await lastCode(server, app.poolId, "+15555550300");
    const wrong = await answer(agent, page, { smsCode: wrongCode(code) });
    expect(errorOf(wrong)).toBe("Invalid code received for user");
    expect(hiddenFields(wrong.body).session).toBe(hiddenFields(page.body).session);
    await expectSignedIn(app, await answer(agent, wrong, { smsCode: code }));
  });

  it("email: the 8-digit code sent to the user's address", async () => {
    const app = await appWithMfa({ MfaConfiguration: "ON", EmailMfaConfiguration: {} });
    await createUser(server, app.poolId, "eli", {
      attributes: [{ Name: "email", Value: "eli@example.com" }],
    });
    const { agent, page } = await signIn(app, "eli");
    expect(page.body).toContain("We sent a code by email to e***@e***.");
    const code = await lastCode(server, app.poolId, "eli@example.com");
    expect(code).toHaveLength(8);
    const wrong = await answer(agent, page, { emailCode: wrongCode(code) });
    expect(errorOf(wrong)).toBe("Invalid code or auth state for the user.");
    await expectSignedIn(app, await answer(agent, wrong, { emailCode: code }));
  });

  it("authenticator app: a wrong code keeps the step, a used one is refused, an expired Session goes back to sign-in", async () => {
    const app = await appWithMfa({
      MfaConfiguration: "OPTIONAL",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await createUser(server, app.poolId, "tia");
    const first = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "tia", PASSWORD },
      }),
    );
    const secret = await enrolSoftwareToken(
      server,
      first.AuthenticationResult?.AccessToken as string,
      "phone",
    );
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: "tia",
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );

    const { agent, page } = await signIn(app, "tia");
    expect(page.body).toContain("Enter the code from your authenticator app.");
    const code = await totp(server, secret);
    const wrong = await answer(agent, page, { totpCode: wrongCode(code) });
    expect(errorOf(wrong)).toBe("Invalid code or auth state for the user.");
    expect(hiddenFields(wrong.body).session).toBe(hiddenFields(page.body).session);
    await expectSignedIn(app, await answer(agent, wrong, { totpCode: code }));

    // The same code again, in a new sign-in: spent.
    const again = await signIn(app, "tia");
    const reused = await answer(again.agent, again.page, { totpCode: code });
    expect(errorOf(reused)).toBe("Your software token has already been used once.");
    expect(headingOf(reused)).toBe("Enter your code");

    advanceClock(server, 3 * 60_000 + 1);
    const late = await answer(again.agent, reused, { totpCode: await totp(server, secret) });
    expect(late.body).toContain('name="cognitoSignInForm"');
    expect(errorOf(late)).toBe("Invalid session for the user, session is expired.");
  });

  it("the choice of a factor, then its step", async () => {
    const app = await appWithMfa({
      MfaConfiguration: "OPTIONAL",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await createUser(server, app.poolId, "cho", {
      attributes: [{ Name: "phone_number", Value: "+15555550301" }],
    });
    const first = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "cho", PASSWORD },
      }),
    );
    await enrolSoftwareToken(server, first.AuthenticationResult?.AccessToken as string);
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: "cho",
        SMSMfaSettings: { Enabled: true },
      }),
    );
    const { agent, page } = await signIn(app, "cho");
    expect(headingOf(page)).toBe("Choose how to verify");
    expect(page.body).toContain('value="SMS_MFA"');
    expect(page.body).toContain("Text message (SMS)");
    expect(page.body).toContain("Authenticator app");
    const notOffered = await answer(agent, page, { mfaType: "EMAIL_OTP" });
    expect(errorOf(notOffered)).toBe("EMAIL_OTP is not one of the MFA methods the user can choose.");
    const sms = await answer(agent, notOffered, { mfaType: "SMS_MFA" });
    expect(sms.body).toContain("We sent a code by text message to +*******0301.");
    await expectSignedIn(
      app,
      await answer(agent, sms, { smsCode: await lastCode(server, app.poolId, "+15555550301") }),
    );
  });
});

describe("setting MFA up", () => {
  it("with an authenticator app: the key and its otpauth URI, a wrong first code keeps key and Session, the right one signs in", async () => {
    const app = await appWithMfa({
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await createUser(server, app.poolId, "uma");
    const { agent, page } = await signIn(app, "uma");
    expect(headingOf(page)).toBe("Set up an authenticator app");
    const secret =
      hiddenFields(page.body).parameters && JSON.parse(hiddenFields(page.body).parameters).secretCode;
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    // Shown in groups of four, and as a key URI with the pool's name as issuer.
    expect(page.body).toContain(secret.replace(/(.{4})(?=.)/g, "$1 "));
    expect(page.body).toContain(`href="otpauth://totp/sign-in:uma?secret=${secret}&amp;issuer=sign-in&amp;`);
    // And as a QR code of that URI.
    const uri = `otpauth://totp/sign-in:uma?secret=${secret}&issuer=sign-in&algorithm=SHA1&digits=6&period=30`;
    expect(page.body).toContain(qrSvg(uri, "QR code of the setup key").text);

    const wrong = await answer(agent, page, { totpCode: wrongCode(await totp(server, secret)) });
    expect(errorOf(wrong)).toBe("Code mismatch and fail enable Software Token MFA");
    expect(hiddenFields(wrong.body).session).toBe(hiddenFields(page.body).session);
    expect(wrong.body).toContain(secret.replace(/(.{4})(?=.)/g, "$1 "));

    const done = await answer(agent, wrong, {
      totpCode: await totp(server, secret),
      friendlyDeviceName: "Uma's phone",
    });
    expect((await expectSignedIn(app, done))["cognito:username"]).toBe("uma");
    const uma = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "uma" }),
    );
    expect(uma.UserMFASettingList).toEqual(["SOFTWARE_TOKEN_MFA"]);

    // The next sign-in asks for the app's code.
    const next = await signIn(app, "uma");
    expect(next.page.body).toContain("Enter the code from your authenticator app.");
    await expectSignedIn(
      app,
      await answer(next.agent, next.page, { totpCode: await totp(server, secret, 1) }),
    );
  });

  it("by email where the pool offers it: the choice, the address, then the emailed code", async () => {
    const app = await appWithMfa({
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: {},
    });
    await createUser(server, app.poolId, "val");
    const { agent, page } = await signIn(app, "val");
    expect(headingOf(page)).toBe("Set up multi-factor authentication");
    expect(page.body).toContain('value="SOFTWARE_TOKEN_MFA"');
    expect(page.body).toContain('value="EMAIL_OTP"');
    const form = await answer(agent, page, { mfaType: "EMAIL_OTP" });
    expect(headingOf(form)).toBe("Set up email codes");
    const bad = await answer(agent, form, { email: "not-an-address" });
    expect(errorOf(bad)).toBe("Invalid email address format.");
    expect(headingOf(bad)).toBe("Set up email codes");
    const otp = await answer(agent, bad, { email: "val@example.com" });
    expect(otp.body).toContain("We sent a code by email to v***@e***.");
    await expectSignedIn(
      app,
      await answer(agent, otp, { emailCode: await lastCode(server, app.poolId, "val@example.com") }),
    );
    const val = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "val" }),
    );
    expect(val.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
    expect(val.PreferredMfaSetting).toBe("EMAIL_OTP");
  });

  it("the app picked from the choice gets its key page", async () => {
    const app = await appWithMfa({
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: {},
    });
    await createUser(server, app.poolId, "wes");
    const { agent, page } = await signIn(app, "wes");
    const keyPage = await answer(agent, page, { mfaType: "SOFTWARE_TOKEN_MFA" });
    expect(headingOf(keyPage)).toBe("Set up an authenticator app");
    const secret = JSON.parse(hiddenFields(keyPage.body).parameters).secretCode;
    await expectSignedIn(app, await answer(agent, keyPage, { totpCode: await totp(server, secret) }));
  });
});

describe("managed login and devices", () => {
  it("never remembers a device, even where the pool tracks them", async () => {
    const app = await appWithMfa(undefined, {
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    });
    await createUser(server, app.poolId, "dev");
    const { page } = await signIn(app, "dev");
    const callback = callbackParameters(page.location);
    const tokens = await tokenRequest(app, {
      grant_type: "authorization_code",
      client_id: app.clientId,
      code: callback.get("code") ?? "",
      redirect_uri: app.redirectUri,
    });
    expect(jwtPayload(tokens.body.access_token).device_key).toBeUndefined();
  });
});

describe("/passkeys/add", () => {
  it("is a managed-login page: classic domains answer 404", async () => {
    const app = await createOAuthApp(server);
    const page = await new Agent(server.url).get(
      `${app.base}/passkeys/add?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
    );
    expect(page.status).toBe(404);
    expect(page.body).toContain("Passkeys can be added on managed login pages only.");
  });

  it("checks the client and redirect URI, asks a browser without a session to sign in first, and checks CSRF", async () => {
    const app = await createOAuthApp(server, { managedLoginVersion: 2 });
    await server.client.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        UseCognitoProvidedValues: true,
      }),
    );
    const agent = new Agent(server.url);
    const wrong = await agent.get(
      `${app.base}/passkeys/add?client_id=${app.clientId}&redirect_uri=${encodeURIComponent("https://evil.example/")}`,
    );
    expect(wrong.status).toBe(302);
    expect(wrong.location).toContain("/error?error=redirect_mismatch");
    const url = `${app.base}/passkeys/add?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`;
    const page = await agent.get(url);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Sign in first, then add a passkey.");
    expect(page.body).toContain(`href="${REDIRECT_URI}"`);
    const forged = await agent.post(url, { _csrf: "not-the-token", credential: "{}" });
    expect(forged.status).toBe(302);
    expect(forged.location).toContain("/error?error=csrf");
  });
});
