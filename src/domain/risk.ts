/**
 * The threat-protection risk model (docs/RISK.md): pure functions from what a sign-in carries and
 * what the user's and the IP address's history say, to a risk level, a decision and the reasons.
 * Deterministic: the same input always gives the same answer; every point is explained by a reason.
 *
 * Levels: a score below `levels.low` is no risk (decision NoRisk, no level, as Cognito shows it);
 * from there Low, Medium, High (decision AccountTakeover). The pool's always-block IP ranges give
 * Block, its always-allow ranges skip scoring (NoRisk).
 */
import { createHash } from "node:crypto";
import { BlockList, isIP } from "node:net";
import type { RiskModelConfig } from "../config/risk.js";
import type {
  RiskDecisionType,
  RiskExceptionConfigurationType,
  RiskLevelType,
} from "../protocol/types.generated.js";

/** Why a sign-in got its points: a stable code, the points, and what was seen. */
export interface RiskReason {
  code: RiskReasonCode;
  points: number;
  detail: string;
}

export type RiskReasonCode =
  | "ip-always-blocked"
  | "ip-always-allowed"
  | "new-ip"
  | "new-device"
  | "new-user-agent"
  | "missing-user-agent"
  | "automated-user-agent"
  | "user-failures"
  | "ip-failures"
  | "credential-stuffing"
  | "ip-velocity"
  | "invalid-feedback"
  | "valid-feedback";

export interface RiskAssessment {
  score: number;
  decision: RiskDecisionType;
  /** Absent for NoRisk, as in Cognito's events. */
  level?: RiskLevelType;
  reasons: RiskReason[];
}

/** What the sign-in request says about where it comes from. */
export interface RiskRequest {
  /** False when nothing describes the end user's client (an admin call without ContextData). */
  describesClient: boolean;
  ip?: string;
  userAgent?: string;
  /** The DEVICE_KEY presented, when it is one of the user's devices. */
  deviceKey?: string;
  /** The presented device is one the user confirmed (remembered devices): never new. */
  deviceTrusted?: boolean;
  /** A stable id of the client device, from ContextData / UserContextData EncodedData. */
  fingerprint?: string;
}

/** One earlier sign-in event of the user, as far as the model reads it. */
export interface PastEvent {
  response: "Pass" | "Fail" | "InProgress";
  at: Date;
  ip?: string;
  userAgent?: string;
  deviceKey?: string;
  fingerprint?: string;
  feedback?: "Valid" | "Invalid";
}

/** Recent sign-in attempts from the request's IP address, every user of the pool together. */
export interface IpActivity {
  failures: number;
  /** Distinct user names among those failures (unknown names included). */
  distinctUsers: number;
  attemptsLastMinute: number;
}

export interface RiskInput {
  request: RiskRequest;
  /** The user's latest events, newest first. */
  history: PastEvent[];
  ipActivity: IpActivity;
  exceptions?: RiskExceptionConfigurationType;
  now: Date;
}

// ---------------------------------------------------------------------------------------------
// IP addresses and ranges

/** `::ffff:1.2.3.4` (how Node shows IPv4 clients on a dual-stack socket) as `1.2.3.4`. */
export function normaliseIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const plain = mapped ? mapped[1] : ip;
  return isIP(plain) ? plain.toLowerCase() : undefined;
}

/** `a.b.c.d/n`, `x:y::/n`, or a single address; undefined when it is none of these. */
export function parseRange(text: string): { network: string; prefix: number; family: 4 | 6 } | undefined {
  const [address, prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return undefined;
  const max = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { network: address, prefix, family };
}

function blockListOf(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const text of ranges) {
    const range = parseRange(text);
    if (range) list.addSubnet(range.network, range.prefix, range.family === 4 ? "ipv4" : "ipv6");
  }
  return list;
}

export function ipInRanges(ip: string | undefined, ranges: readonly string[] | undefined): boolean {
  const address = normaliseIp(ip);
  if (!address || !ranges?.length) return false;
  return blockListOf(ranges).check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/** The pool's IP exception for this address: always block wins over always allow. */
export function ipException(
  ip: string | undefined,
  exceptions: RiskExceptionConfigurationType | undefined,
): "blocked" | "skipped" | undefined {
  if (ipInRanges(ip, exceptions?.BlockedIPRangeList)) return "blocked";
  if (ipInRanges(ip, exceptions?.SkippedIPRangeList)) return "skipped";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// What the request carries

const AUTOMATED_AGENTS =
  /\b(curl|wget|python-requests|python-urllib|aiohttp|httpx|go-http-client|java\/|apache-httpclient|libwww-perl|scrapy|phantomjs|headlesschrome|node-fetch|axios|httpie|powershell)\b/i;

export function isAutomatedUserAgent(userAgent: string): boolean {
  return AUTOMATED_AGENTS.test(userAgent);
}

/**
 * A stable id of the device from EncodedData. The advanced-security libraries send base64 JSON
 * whose payload carries `contextData.DeviceId` (or a DeviceFingerprint); use that when it decodes,
 * else the hash of the whole value. Never the value itself: it is the client's data.
 */
export function fingerprintOf(encodedData: string | undefined): string | undefined {
  if (!encodedData) return undefined;
  const stable = decodedDeviceId(encodedData) ?? encodedData;
  return createHash("sha256").update(stable, "utf8").digest("hex").slice(0, 32);
}

function decodedDeviceId(encodedData: string): string | undefined {
  try {
    const outer = JSON.parse(Buffer.from(encodedData, "base64").toString("utf8")) as { payload?: unknown };
    const payload = typeof outer.payload === "string" ? JSON.parse(outer.payload) : outer.payload;
    const context = (payload as { contextData?: Record<string, unknown> } | undefined)?.contextData;
    const id = context?.DeviceId ?? context?.DeviceFingerprint;
    return typeof id === "string" && id !== "" ? `device:${id}` : undefined;
  } catch {
    return undefined;
  }
}

/** The client's time zone from EncodedData (`contextData.ClientTimezone`), when it decodes. */
export function timezoneOf(encodedData: string | undefined): string | undefined {
  if (!encodedData) return undefined;
  try {
    const outer = JSON.parse(Buffer.from(encodedData, "base64").toString("utf8")) as { payload?: unknown };
    const payload = typeof outer.payload === "string" ? JSON.parse(outer.payload) : outer.payload;
    const zone = (payload as { contextData?: Record<string, unknown> } | undefined)?.contextData
      ?.ClientTimezone;
    return typeof zone === "string" && zone !== "" ? zone : undefined;
  } catch {
    return undefined;
  }
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/Chrome\/(\d+)/, "Chrome"],
  [/Version\/(\d+)[\d.]* .*Safari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/Windows/, "Windows"],
  [/iPhone|iPad|iOS/, "iOS"],
  [/Android/, "Android"],
  [/Mac OS X|Macintosh/, "MacOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

/** "Chrome 120, MacOS" for browsers, as Cognito's events name devices; else the first product token. */
export function deviceNameOf(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent));
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser) {
    const version = browser[0].exec(userAgent)?.[1];
    return [`${browser[1]} ${version}`, system].filter(Boolean).join(", ");
  }
  const product = userAgent.trim().split(/\s+/)[0];
  return product ? product.slice(0, 100) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Scoring

/** Events whose IP / device the user vouched for, or reported. */
function feedbackOn(history: PastEvent[], value: "Valid" | "Invalid"): PastEvent[] {
  return history.filter((e) => e.feedback === value);
}

/** The IP addresses, devices and agents the user is known to use: passed sign-ins not reported, and vouched ones. */
function knownTraits(history: PastEvent[]) {
  const trusted = history.filter(
    (e) => (e.response === "Pass" && e.feedback !== "Invalid") || e.feedback === "Valid",
  );
  const collect = (pick: (e: PastEvent) => string | undefined) =>
    new Set(trusted.map(pick).filter((v): v is string => v !== undefined));
  return {
    signedInBefore: trusted.length > 0,
    ips: collect((e) => e.ip),
    devices: new Set([...collect((e) => e.deviceKey), ...collect((e) => e.fingerprint)]),
    userAgents: collect((e) => e.userAgent),
  };
}

function matchesRequest(event: PastEvent, request: RiskRequest): boolean {
  return (
    (request.ip !== undefined && event.ip === request.ip) ||
    (request.deviceKey !== undefined && event.deviceKey === request.deviceKey) ||
    (request.fingerprint !== undefined && event.fingerprint === request.fingerprint)
  );
}

function noveltyReasons(input: RiskInput, model: RiskModelConfig): RiskReason[] {
  const { request } = input;
  const known = knownTraits(input.history);
  if (!known.signedInBefore) return [];
  const reasons: RiskReason[] = [];
  if (request.ip && !known.ips.has(request.ip)) {
    reasons.push({ code: "new-ip", points: model.points.newIp, detail: `first sign-in from ${request.ip}` });
  }
  const device = request.deviceKey ?? request.fingerprint;
  const knownDevice =
    (request.deviceKey !== undefined && known.devices.has(request.deviceKey)) ||
    (request.fingerprint !== undefined && known.devices.has(request.fingerprint));
  if (device && !knownDevice && !request.deviceTrusted) {
    reasons.push({
      code: "new-device",
      points: model.points.newDevice,
      detail: "first sign-in from this device",
    });
  }
  if (request.userAgent && !known.userAgents.has(request.userAgent)) {
    reasons.push({
      code: "new-user-agent",
      points: model.points.newUserAgent,
      detail: "first sign-in with this user agent",
    });
  }
  return reasons;
}

function userAgentReasons(request: RiskRequest, model: RiskModelConfig): RiskReason[] {
  if (!request.describesClient) return [];
  if (!request.userAgent) {
    return [{ code: "missing-user-agent", points: model.points.missingUserAgent, detail: "no user agent" }];
  }
  if (isAutomatedUserAgent(request.userAgent)) {
    return [
      {
        code: "automated-user-agent",
        points: model.points.automatedUserAgent,
        detail: `scripted client: ${request.userAgent.slice(0, 60)}`,
      },
    ];
  }
  return [];
}

function failureReasons(input: RiskInput, model: RiskModelConfig): RiskReason[] {
  const since = input.now.getTime() - model.windows.failuresMinutes * 60_000;
  // A failure the user vouched for was theirs (a blocked sign-in they confirmed), not an attack.
  const failures = input.history.filter(
    (e) => e.response === "Fail" && e.feedback !== "Valid" && e.at.getTime() >= since,
  ).length;
  const counted = Math.min(failures, model.thresholds.maxUserFailures);
  if (counted === 0) return [];
  return [
    {
      code: "user-failures",
      points: counted * model.points.perUserFailure,
      detail: `${failures} failed sign-ins of this user in ${model.windows.failuresMinutes} min`,
    },
  ];
}

function ipReasons(input: RiskInput, model: RiskModelConfig): RiskReason[] {
  const { ipActivity } = input;
  const { thresholds, points, windows } = model;
  if (!input.request.ip) return [];
  const reasons: RiskReason[] = [];
  if (ipActivity.distinctUsers >= thresholds.ipDistinctUsers) {
    reasons.push({
      code: "credential-stuffing",
      points: points.credentialStuffing,
      detail: `failed sign-ins of ${ipActivity.distinctUsers} users from ${input.request.ip} in ${windows.failuresMinutes} min`,
    });
  } else if (ipActivity.failures >= thresholds.ipFailures) {
    reasons.push({
      code: "ip-failures",
      points: points.ipFailures,
      detail: `${ipActivity.failures} failed sign-ins from ${input.request.ip} in ${windows.failuresMinutes} min`,
    });
  }
  if (ipActivity.attemptsLastMinute >= thresholds.ipAttemptsPerMinute) {
    reasons.push({
      code: "ip-velocity",
      points: points.ipVelocity,
      detail: `${ipActivity.attemptsLastMinute} sign-in attempts from ${input.request.ip} in the last minute`,
    });
  }
  return reasons;
}

function feedbackReasons(input: RiskInput, model: RiskModelConfig): RiskReason[] {
  const reported = feedbackOn(input.history, "Invalid").some((e) => matchesRequest(e, input.request));
  if (reported) {
    return [
      {
        code: "invalid-feedback",
        points: model.points.invalidFeedback,
        detail: "an earlier sign-in from this IP address or device was reported as not the user's",
      },
    ];
  }
  const vouched = feedbackOn(input.history, "Valid").some((e) => matchesRequest(e, input.request));
  if (!vouched) return [];
  return [
    {
      code: "valid-feedback",
      points: model.points.validFeedback,
      detail: "an earlier sign-in from this IP address or device was confirmed as the user's",
    },
  ];
}

function levelOf(score: number, model: RiskModelConfig): RiskLevelType | undefined {
  if (score >= model.levels.high) return "High";
  if (score >= model.levels.medium) return "Medium";
  if (score >= model.levels.low) return "Low";
  return undefined;
}

/** The risk of one sign-in: IP exceptions first, then the sum of every signal's points. */
export function assessRisk(input: RiskInput, model: RiskModelConfig): RiskAssessment {
  const exception = ipException(input.request.ip, input.exceptions);
  if (exception === "blocked") {
    const detail = `${input.request.ip} is in the pool's always-block ranges`;
    return {
      score: 0,
      decision: "Block",
      level: "High",
      reasons: [{ code: "ip-always-blocked", points: 0, detail }],
    };
  }
  if (exception === "skipped") {
    const detail = `${input.request.ip} is in the pool's always-allow ranges`;
    return { score: 0, decision: "NoRisk", reasons: [{ code: "ip-always-allowed", points: 0, detail }] };
  }
  const reasons = [
    ...noveltyReasons(input, model),
    ...userAgentReasons(input.request, model),
    ...failureReasons(input, model),
    ...ipReasons(input, model),
    ...feedbackReasons(input, model),
  ];
  const score = Math.max(
    0,
    reasons.reduce((sum, r) => sum + r.points, 0),
  );
  const level = levelOf(score, model);
  return level
    ? { score, decision: "AccountTakeover", level, reasons }
    : { score, decision: "NoRisk", reasons };
}
