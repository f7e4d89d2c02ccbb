import { describe, expect, it } from "vitest";
import { riskConfigSchema } from "../config/risk.js";
import { isBreachedPassword } from "./breached-passwords.js";
import {
  assessRisk,
  deviceNameOf,
  fingerprintOf,
  ipException,
  ipInRanges,
  normaliseIp,
  type PastEvent,
  parseRange,
  type RiskInput,
  timezoneOf,
} from "./risk.js";

const model = riskConfigSchema.parse(undefined);
const NOW = new Date("2025-01-01T12:00:00Z");
const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36";

const passed = (over: Partial<PastEvent> = {}): PastEvent => ({
  response: "Pass",
  at: new Date(NOW.getTime() - 86_400_000),
  ip: "198.51.100.1",
  userAgent: BROWSER,
  fingerprint: "home-laptop",
  ...over,
});

function input(over: Partial<RiskInput> = {}, request: Partial<RiskInput["request"]> = {}): RiskInput {
  return {
    request: {
      describesClient: true,
      ip: "198.51.100.1",
      userAgent: BROWSER,
      fingerprint: "home-laptop",
      ...request,
    },
    history: [passed()],
    ipActivity: { failures: 0, distinctUsers: 0, attemptsLastMinute: 0 },
    now: NOW,
    ...over,
  };
}

const codes = (i: RiskInput) => assessRisk(i, model).reasons.map((r) => r.code);

describe("risk model", () => {
  it("sees no risk in a sign-in like the user's earlier ones", () => {
    expect(assessRisk(input(), model)).toEqual({ score: 0, decision: "NoRisk", reasons: [] });
  });

  it("sees no risk in a user's first sign-in: there is nothing to compare with", () => {
    expect(
      assessRisk(input({ history: [] }, { ip: "203.0.113.9", fingerprint: "other" }), model).decision,
    ).toBe("NoRisk");
  });

  it("rates a new IP address Low, adding a new device Medium, adding a scripted agent High", () => {
    const low = assessRisk(input({}, { ip: "203.0.113.9" }), model);
    expect(low).toMatchObject({ decision: "AccountTakeover", level: "Low", score: 25 });
    const medium = assessRisk(input({}, { ip: "203.0.113.9", fingerprint: "new-phone" }), model);
    expect(medium).toMatchObject({ level: "Medium", score: 45 });
    const high = assessRisk(
      input({}, { ip: "203.0.113.9", fingerprint: "x", userAgent: "curl/8.5.0" }),
      model,
    );
    expect(high).toMatchObject({ level: "High", score: 70 });
    expect(high.reasons.map((r) => r.code)).toEqual([
      "new-ip",
      "new-device",
      "new-user-agent",
      "automated-user-agent",
    ]);
  });

  it("explains every point: the score is the sum of the reasons", () => {
    const a = assessRisk(input({}, { ip: "203.0.113.9", userAgent: undefined }), model);
    expect(a.score).toBe(a.reasons.reduce((s, r) => s + r.points, 0));
    expect(a.reasons.map((r) => r.code)).toEqual(["new-ip", "missing-user-agent"]);
  });

  it("does not count a missing user agent when nothing describes the client", () => {
    expect(
      codes(
        input({}, { describesClient: false, ip: undefined, userAgent: undefined, fingerprint: undefined }),
      ),
    ).toEqual([]);
  });

  it("counts the user's recent failures, up to a maximum, and forgets old ones", () => {
    const fail = (minutesAgo: number): PastEvent => ({
      response: "Fail",
      at: new Date(NOW.getTime() - minutesAgo * 60_000),
    });
    const recent = assessRisk(input({ history: [fail(1), fail(2), fail(3), passed()] }), model);
    expect(recent.reasons).toEqual([expect.objectContaining({ code: "user-failures", points: 24 })]);
    const many = Array.from({ length: 9 }, (_, i) => fail(i + 1));
    expect(assessRisk(input({ history: [...many, passed()] }), model).score).toBe(40);
    expect(codes(input({ history: [fail(120), passed()] }))).toEqual([]);
  });

  it("rates an IP address failing for many users as credential stuffing (High)", () => {
    const a = assessRisk(
      input({ ipActivity: { failures: 6, distinctUsers: 6, attemptsLastMinute: 6 } }),
      model,
    );
    expect(a).toMatchObject({ decision: "AccountTakeover", level: "Medium", score: 60 });
    const b = assessRisk(
      input(
        { ipActivity: { failures: 40, distinctUsers: 40, attemptsLastMinute: 40 } },
        { ip: "203.0.113.9" },
      ),
      model,
    );
    expect(b.level).toBe("High");
    expect(b.reasons.map((r) => r.code)).toEqual(["new-ip", "credential-stuffing", "ip-velocity"]);
  });

  it("counts many failures from one IP address for one user as IP failures, not stuffing", () => {
    expect(codes(input({ ipActivity: { failures: 12, distinctUsers: 1, attemptsLastMinute: 0 } }))).toEqual([
      "ip-failures",
    ]);
  });

  it("raises the risk of an IP address or device the user reported, and lowers it for one they confirmed", () => {
    const reported = passed({ ip: "203.0.113.9", fingerprint: "stolen", feedback: "Invalid" });
    const a = assessRisk(input({ history: [reported, passed()] }, { ip: "203.0.113.9" }), model);
    expect(a.level).toBe("High");
    expect(a.reasons.map((r) => r.code)).toEqual(["new-ip", "invalid-feedback"]);

    const vouched: PastEvent = { response: "Fail", at: NOW, ip: "203.0.113.9", feedback: "Valid" };
    const b = assessRisk(input({ history: [vouched, passed()] }, { ip: "203.0.113.9" }), model);
    expect(b).toMatchObject({ decision: "NoRisk", score: 0 });
    expect(b.reasons.map((r) => r.code)).toEqual(["valid-feedback"]);
  });

  it("blocks an always-blocked range and skips scoring in an always-allowed one, block first", () => {
    const exceptions = { BlockedIPRangeList: ["203.0.113.0/24"], SkippedIPRangeList: ["203.0.0.0/16"] };
    const blocked = assessRisk(input({ exceptions }, { ip: "203.0.113.9" }), model);
    expect(blocked).toMatchObject({ decision: "Block", level: "High" });
    const skipped = assessRisk(input({ exceptions }, { ip: "203.0.5.1", userAgent: "curl/8" }), model);
    expect(skipped).toMatchObject({ decision: "NoRisk", score: 0 });
    expect(skipped.reasons.map((r) => r.code)).toEqual(["ip-always-allowed"]);
  });

  it("follows the configured points and levels", () => {
    const strict = riskConfigSchema.parse({ points: { newIp: 80 } });
    expect(assessRisk(input({}, { ip: "203.0.113.9" }), strict).level).toBe("High");
  });

  it("gives the same answer for the same input", () => {
    const i = input(
      { ipActivity: { failures: 3, distinctUsers: 2, attemptsLastMinute: 3 } },
      { ip: "203.0.113.9" },
    );
    expect(assessRisk(i, model)).toEqual(assessRisk(i, model));
  });
});

describe("IP ranges", () => {
  it("parses CIDR ranges and single addresses, IPv4 and IPv6", () => {
    expect(parseRange("10.0.0.0/8")).toEqual({ network: "10.0.0.0", prefix: 8, family: 4 });
    expect(parseRange("2001:db8::/32")).toEqual({ network: "2001:db8::", prefix: 32, family: 6 });
    expect(parseRange("192.0.2.7")).toEqual({ network: "192.0.2.7", prefix: 32, family: 4 });
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "nope", "10.0.0.0/8/1", "::/129", "1.2.3.4/x"]) {
      expect(parseRange(bad)).toBeUndefined();
    }
  });

  it("matches addresses in ranges, IPv4 clients on dual-stack sockets included", () => {
    expect(ipInRanges("10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(ipInRanges("::ffff:10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(ipInRanges("11.1.2.3", ["10.0.0.0/8"])).toBe(false);
    expect(ipInRanges("2001:db8::1", ["2001:db8::/32"])).toBe(true);
    expect(ipInRanges(undefined, ["0.0.0.0/0"])).toBe(false);
    expect(
      ipException("10.1.2.3", { BlockedIPRangeList: ["10.0.0.0/8"], SkippedIPRangeList: ["10.1.0.0/16"] }),
    ).toBe("blocked");
    expect(normaliseIp("not an ip")).toBeUndefined();
  });
});

describe("client context", () => {
  it("names browsers and systems as Cognito's events do, other agents by their product", () => {
    expect(deviceNameOf(BROWSER)).toBe("Chrome 120, MacOS");
    expect(deviceNameOf("aws-sdk-js/3.1 ua/2.1")).toBe("aws-sdk-js/3.1");
    expect(deviceNameOf(undefined)).toBeUndefined();
  });

  it("takes a stable device id from EncodedData when it decodes, else hashes it", () => {
    const encoded = (deviceId: string, timestamp: number) =>
      Buffer.from(
        JSON.stringify({
          payload: JSON.stringify({
            contextData: { DeviceId: deviceId, ClientTimezone: "+01:00" },
            timestamp,
          }),
          signature: "sig",
          version: "JS20171115",
        }),
      ).toString("base64");
    expect(fingerprintOf(encoded("d1", 1))).toBe(fingerprintOf(encoded("d1", 2)));
    expect(fingerprintOf(encoded("d1", 1))).not.toBe(fingerprintOf(encoded("d2", 1)));
    expect(timezoneOf(encoded("d1", 1))).toBe("+01:00");
    expect(fingerprintOf("opaque")).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf(undefined)).toBeUndefined();
  });
});

describe("breached passwords", () => {
  it("knows the common passwords of breach dumps, in any case", () => {
    expect(isBreachedPassword("password123")).toBe(true);
    expect(isBreachedPassword("Password123")).toBe(true);
    expect(isBreachedPassword("Corr3ct-horse-battery!")).toBe(false);
  });
});
