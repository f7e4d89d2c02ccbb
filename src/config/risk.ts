/**
 * The threat-protection risk model's numbers (docs/RISK.md): how many points each signal adds,
 * where the levels start, and the time windows the history is read over. Cognito's own model is
 * opaque; these defaults are ours and every one can be changed in the configuration file.
 */
import { z } from "zod";

const points = z.number().int().min(-1000).max(1000);
const count = z.number().int().min(1).max(1_000_000);

export const riskConfigSchema = z
  .strictObject({
    points: z
      .strictObject({
        /** The user signed in before, never from this IP address. */
        newIp: points.default(25),
        /** The user signed in before, never with this device (DEVICE_KEY or EncodedData fingerprint). */
        newDevice: points.default(20),
        /** The user signed in before, never with this user agent. */
        newUserAgent: points.default(10),
        /** The request carries no user agent at all. */
        missingUserAgent: points.default(10),
        /** The user agent is a scripting tool (curl, python-requests, …), not a browser or an app. */
        automatedUserAgent: points.default(15),
        /** Per recent failed sign-in of this user (up to `maxUserFailures` of them). */
        perUserFailure: points.default(8),
        /** Recent failed sign-ins from this IP address, all users together, reached `ipFailures`. */
        ipFailures: points.default(20),
        /** Recent failed sign-ins from this IP address named `ipDistinctUsers` users or more. */
        credentialStuffing: points.default(60),
        /** Sign-in attempts from this IP address in the last minute reached `ipAttemptsPerMinute`. */
        ipVelocity: points.default(20),
        /** An earlier event of this user from this IP address or device was reported as not theirs. */
        invalidFeedback: points.default(60),
        /** An earlier event of this user from this IP address or device was confirmed as theirs. */
        validFeedback: points.default(-40),
      })
      .prefault({}),
    /** The lowest score of each level; below `low` is no risk. */
    levels: z
      .strictObject({
        low: count.default(20),
        medium: count.default(45),
        high: count.default(70),
      })
      .prefault({})
      .refine((l) => l.low < l.medium && l.medium < l.high, "must rise: low < medium < high"),
    thresholds: z
      .strictObject({
        maxUserFailures: count.default(5),
        ipFailures: count.default(10),
        ipDistinctUsers: count.default(5),
        ipAttemptsPerMinute: count.default(30),
      })
      .prefault({}),
    windows: z
      .strictObject({
        /** How far back failed sign-ins count, for the user and for the IP address. */
        failuresMinutes: count.default(60),
        /** How many of the user's latest events make the known IP addresses, devices and agents. */
        historyEvents: count.default(200),
      })
      .prefault({}),
  })
  .prefault({});

export type RiskModelConfig = z.infer<typeof riskConfigSchema>;
