/** The measured workloads. Each prepares what it needs, then answers one request at a time. */

import { srpMath } from "../src/crypto/srp-pool.js";
import { answerPasswordVerifierWith, startSrpWith } from "../test/support/srp-client.js";
import { call, type Target, type Workload } from "./client.js";
import type { BenchPool } from "./setup.js";

const pick = <T>(list: T[], worker: number, i: number): T => list[(worker * 7919 + i) % list.length];

function passwordSignIn(pool: BenchPool, username: string, password: string) {
  return {
    UserPoolId: pool.poolId,
    ClientId: pool.clientId,
    AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: username, PASSWORD: password },
  };
}

const signedIn = (body: Record<string, unknown>) => body.AuthenticationResult !== undefined;

export const scenarios: Record<string, (targets: Target[], pool: BenchPool) => Promise<Workload>> = {
  /** ADMIN_USER_PASSWORD_AUTH with the right password. */
  async password(_targets, pool) {
    return {
      async once(target, worker, i) {
        const u = pick(pool.users, worker, i);
        const res = await call(target, "AdminInitiateAuth", passwordSignIn(pool, u.username, u.password));
        return res.status === 200 && signedIn(res.body);
      },
    };
  },

  /** REFRESH_TOKEN_AUTH with refresh tokens from one sign-in per user. */
  async refresh(targets, pool) {
    const tokens: string[] = [];
    for (const u of pool.users) {
      const res = await call(targets[0], "AdminInitiateAuth", passwordSignIn(pool, u.username, u.password));
      const result = res.body.AuthenticationResult as { RefreshToken: string } | undefined;
      if (!result) throw new Error(`sign-in for refresh failed: ${JSON.stringify(res.body)}`);
      tokens.push(result.RefreshToken);
    }
    return {
      async once(target, worker, i) {
        const res = await call(target, "AdminInitiateAuth", {
          UserPoolId: pool.poolId,
          ClientId: pool.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: pick(tokens, worker, i) },
        });
        return res.status === 200 && signedIn(res.body);
      },
    };
  },

  /**
   * USER_SRP_AUTH as the official clients sign in: InitiateAuth, then the PASSWORD_VERIFIER answer,
   * with the client's side of SRP computed here, on worker threads (the bench shares the machine
   * with the server). One request is the whole two-step sign-in.
   */
  async srp(_targets, pool) {
    const math = srpMath(null);
    return {
      async once(target, worker, i) {
        const u = pick(pool.users, worker, i);
        const start = await startSrpWith(math);
        const init = await call(target, "InitiateAuth", {
          ClientId: pool.clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: u.username, SRP_A: start.srpA },
        });
        const challenge = init.body.ChallengeParameters as Record<string, string> | undefined;
        if (init.status !== 200 || !challenge) return false;
        const res = await call(target, "RespondToAuthChallenge", {
          ClientId: pool.clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses: await answerPasswordVerifierWith(math, {
            poolId: pool.poolId,
            password: u.password,
            challenge,
            start,
          }),
        });
        return res.status === 200 && signedIn(res.body);
      },
    };
  },

  /**
   * The first half of an SRP sign-in alone: InitiateAuth USER_SRP_AUTH, answered with the
   * PASSWORD_VERIFIER challenge and never completed. Beside `srp`, it splits an SRP sign-in's cost
   * between its two requests. SRP_A is one valid value for every request: the server's work is the
   * same for any A, and the bench spends nothing on the client's side.
   */
  async "srp-initiate"(_targets, pool) {
    const { srpA } = await startSrpWith(srpMath(null));
    return {
      async once(target, worker, i) {
        const u = pick(pool.users, worker, i);
        const res = await call(target, "InitiateAuth", {
          ClientId: pool.clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: u.username, SRP_A: srpA },
        });
        return res.status === 200 && res.body.ChallengeName === "PASSWORD_VERIFIER";
      },
    };
  },

  /** Password sign-in where one request in ten has a wrong password (and must be refused). */
  async mix(_targets, pool) {
    return {
      async once(target, worker, i) {
        const u = pick(pool.users, worker, i);
        // Random, not tied to the user choice: a user failing five times in a row would be locked out.
        const wrong = Math.random() < 0.1;
        const res = await call(
          target,
          "AdminInitiateAuth",
          passwordSignIn(pool, u.username, wrong ? `${u.password}x` : u.password),
        );
        return wrong
          ? res.body.__type === "NotAuthorizedException"
          : res.status === 200 && signedIn(res.body);
      },
    };
  },
};
