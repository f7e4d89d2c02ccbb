/**
 * The domain endpoints on two instances sharing one PostgreSQL database: an authorization code
 * issued by one is redeemed once across both (and a replay on the other revokes the first use),
 * and a browser's session cookie from one signs it in on the other without the page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../../support/fixtures.js";
import { startTwoInstances, type TwoInstances } from "../../support/instances.js";
import {
  Agent,
  authorizeQuery,
  callbackParameters,
  createOAuthApp,
  type OAuthApp,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { POSTGRES_SKIP_MESSAGE, postgresReachable } from "../../support/postgres.js";
import type { TestServer } from "../../support/server.js";

const available = await postgresReachable();
if (!available) it.skip(`two instances: ${POSTGRES_SKIP_MESSAGE}`, () => {});

describe.skipIf(!available)("the domain endpoints on two instances", () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;
  /** The app as each instance serves it (the path form on that instance). */
  let onA: OAuthApp;
  let onB: OAuthApp;
  const USER = { username: "ada", password: PASSWORD };

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ a, b } = instances);
    onA = await createOAuthApp(a);
    onB = { ...onA, base: `${b.url}/_domain/${onA.domain}` };
    await createUser(a, onA.poolId, "ada");
  });
  afterAll(async () => instances?.stop());

  async function codeOn(target: OAuthApp, server: TestServer) {
    const back = await signInOnPage(new Agent(server.url), target, USER);
    return callbackParameters(back.location).get("code") ?? "";
  }

  const exchange = (target: OAuthApp, code: string) =>
    tokenRequest(target, {
      grant_type: "authorization_code",
      client_id: target.clientId,
      code,
      redirect_uri: REDIRECT_URI,
    });

  async function userInfoStatus(target: OAuthApp, accessToken: unknown) {
    return (
      await fetch(`${target.base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).status;
  }

  it("redeems a code issued on A once on B; the replay on A is refused and revokes B's tokens", async () => {
    const code = await codeOn(onA, a);
    const first = await exchange(onB, code);
    expect(first.status).toBe(200);
    expect(await userInfoStatus(onA, first.body.access_token)).toBe(200);
    expect(await exchange(onA, code)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await userInfoStatus(onB, first.body.access_token)).toBe(401);
  });

  it("gives a code's tokens to exactly one of two exchanges at the same moment", async () => {
    for (let round = 0; round < 5; round += 1) {
      const code = await codeOn(onB, b);
      const answers = await Promise.all([exchange(onA, code), exchange(onB, code)]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(answers.find((r) => r.status === 400)?.body).toEqual({ error: "invalid_grant" });
    }
  });

  it("signs a browser in on B with the session cookie A set", async () => {
    const agentA = new Agent(a.url);
    await signInOnPage(agentA, onA, USER);
    const agentB = new Agent(b.url);
    for (const [name, value] of agentA.cookies) agentB.cookies.set(name, value);
    const silent = await agentB.get(`${onB.base}/oauth2/authorize?${authorizeQuery(onB)}`);
    expect(silent.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
    const code = callbackParameters(silent.location).get("code") ?? "";
    expect((await exchange(onA, code)).status).toBe(200);

    // Logout on B ends the session on A too.
    await agentB.get(
      `${onB.base}/logout?${new URLSearchParams({ client_id: onB.clientId, logout_uri: "https://app.example.com/signed-out" })}`,
    );
    const afterLogout = await agentA.get(`${onA.base}/oauth2/authorize?${authorizeQuery(onA)}`);
    expect(afterLogout.location).toMatch(/\/login\?/);
  });
});
