import { describe, expect, it } from "vitest";
import { limitsConfigSchema } from "../config/limits.js";
import { RequestRates, takeRequest } from "./request-rates.js";

const rates = (requestRates: unknown) =>
  new RequestRates(limitsConfigSchema.parse({ requestRates }).requestRates);

/** How many of `n` takes pass. */
function passing(n: number, take: () => void): number {
  let passed = 0;
  for (let i = 0; i < n; i++) {
    try {
      take();
      passed++;
    } catch (error) {
      expect(error).toMatchObject({ type: "TooManyRequestsException", message: "Rate exceeded" });
    }
  }
  return passed;
}

describe("request-rate quotas", () => {
  it("are off unless configured", () => {
    const off = rates(undefined);
    expect(passing(1000, () => off.takeOperation("DescribeUserPool", {}))).toBe(1000);
  });

  it('take Cognito\'s numbers with "cognito", per category for all pools', () => {
    const cognito = rates("cognito");
    expect(passing(20, () => cognito.takeOperation("DescribeUserPool", { UserPoolId: "a" }))).toBe(15);
    expect(passing(130, () => cognito.takeOperation("InitiateAuth", {}))).toBe(120);
    expect(passing(60, () => takeRequest(cognito, "UserFederation", "us-east-1_a"))).toBe(25);
  });

  it("cap each pool-resource operation per pool, apart from the category", () => {
    const capped = rates({ cognitoDefaults: true });
    expect(passing(10, () => capped.takeOperation("ListGroups", { UserPoolId: "a" }))).toBe(5);
    expect(passing(10, () => capped.takeOperation("ListGroups", { UserPoolId: "b" }))).toBe(5);
    expect(passing(10, () => capped.takeOperation("GetGroup", { UserPoolId: "a" }))).toBe(5);
    // 15 of the category's 20 a second are spent by then; refused requests took none.
    expect(passing(10, () => capped.takeOperation("ListResourceServers", { UserPoolId: "c" }))).toBe(5);
    expect(passing(10, () => capped.takeOperation("ListResourceServers", { UserPoolId: "d" }))).toBe(0);
  });

  it("give challenge answers three times UserAuthentication's allowance, and count NEW_PASSWORD_REQUIRED as recovery", () => {
    const configured = rates({ UserAuthentication: 2, UserAccountRecovery: 1 });
    const answer = (ChallengeName: string) => () =>
      configured.takeOperation("RespondToAuthChallenge", { ChallengeName });
    // 6 from the answers' allowance, then 2 from UserAuthentication.
    expect(passing(10, answer("SMS_MFA"))).toBe(8);
    expect(passing(3, answer("NEW_PASSWORD_REQUIRED"))).toBe(1);
  });

  it("refill at their rate", () => {
    let now = 0;
    const config = limitsConfigSchema.parse({ requestRates: { UserList: 2 } }).requestRates;
    const refilling = new RequestRates(config, () => now);
    const list = () => refilling.takeOperation("ListUsers", {});
    expect(passing(3, list)).toBe(2);
    now = 499;
    expect(passing(1, list)).toBe(0);
    now = 500;
    expect(passing(2, list)).toBe(1);
  });

  it("leave out categories set to 0 or not named", () => {
    const some = rates({ cognitoDefaults: true, UserPoolRead: 0 });
    expect(passing(100, () => some.takeOperation("DescribeUserPool", {}))).toBe(100);
    const one = rates({ UserList: 1 });
    expect(passing(3, () => one.takeOperation("ListUsers", {}))).toBe(1);
    expect(passing(50, () => one.takeOperation("DescribeUserPool", {}))).toBe(50);
  });
});
