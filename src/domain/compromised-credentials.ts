/**
 * Compromised credentials at sign-up and at password changes (ChangePassword, ConfirmForgotPassword,
 * the NEW_PASSWORD_REQUIRED answer): a password on the breached-password list is refused with
 * `Provided password cannot be used for security reasons.` when the pool's threat protection is
 * ENFORCED and its compromised-credentials action for the event is BLOCK; AUDIT only records.
 * Sign-in has its own check, in the sign-in's threat-protection step.
 */
import { randomUUID } from "node:crypto";
import type { EventFilterType } from "../protocol/types.generated.js";
import type { AuthEventRecord } from "../store/auth-events.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { isBreachedPassword } from "./breached-passwords.js";
import type { ClientContext } from "./client-context.js";
import { Errors } from "./errors.js";
import { type LogServices, logAuthEvent } from "./log-delivery.js";
import {
  compromisedCredentialsAction,
  effectiveRiskConfiguration,
  protectionMode,
} from "./threat-protection.js";

export interface NewPasswordCheck {
  pool: PoolRecord;
  /** The app client whose risk configuration applies, when the request names one. */
  clientId?: string;
  /** The user the password is for (at sign-up, the user about to be created). */
  user: UserRecord;
  password: string;
  event: Extract<EventFilterType, "SIGN_UP" | "PASSWORD_CHANGE">;
  context?: ClientContext;
  now: Date;
}

const EVENT_TYPE = { SIGN_UP: "SignUp", PASSWORD_CHANGE: "PasswordChange" } as const;

/** Checks a new password against the breached-password list and records the event; throws when it is to be refused. */
export async function checkNewPassword(services: LogServices, check: NewPasswordCheck): Promise<void> {
  const { store } = services;
  const { pool, clientId, user, context, now } = check;
  const mode = protectionMode(pool.config);
  if (mode === "OFF") return;
  const compromised = isBreachedPassword(check.password);
  const config = (await effectiveRiskConfiguration(store, pool.id, clientId))?.config;
  const blocked =
    compromised && mode === "ENFORCED" && compromisedCredentialsAction(config, check.event) === "BLOCK";
  const event: AuthEventRecord = {
    poolId: pool.id,
    eventId: randomUUID(),
    usernameKey: user.usernameKey,
    // A refused sign-up creates no user: its event belongs to no one.
    sub: blocked && check.event === "SIGN_UP" ? "" : user.sub,
    username: user.username,
    clientId: clientId ?? null,
    eventType: EVENT_TYPE[check.event],
    createdAt: now,
    response: blocked ? "Fail" : "Pass",
    riskDecision: blocked ? "Block" : "NoRisk",
    compromised,
    riskDetail: { mode, actions: blocked ? ["BLOCK"] : [], score: 0, reasons: [] },
    challenges: [],
    ip: context?.ip,
    userAgent: context?.userAgent,
    deviceName: context?.deviceName,
    fingerprint: context?.fingerprint,
    timezone: context?.timezone,
  };
  await store.authEvents.save(event);
  await logAuthEvent(services, event);
  if (blocked) throw Errors.compromisedPassword();
}
