/**
 * Who is signing in, as far as a request tells: the end user's IP address, user agent and device
 * fingerprint. Admin operations describe the end user in ContextData (the server calling Cognito
 * is not the user); public operations are called by the user's own client, so the connection is
 * theirs, unless the client propagates UserContextData.IpAddress (EnablePropagateAdditionalUserContextData,
 * which needs a client secret) [MODEL; ADMIN_INITIATE_AUTH.md §15].
 */
import type { ContextDataType, UserContextDataType } from "../protocol/types.generated.js";
import type { ClientRecord } from "../store/records.js";
import { deviceNameOf, fingerprintOf, normaliseIp, timezoneOf } from "./risk.js";

export interface ClientContext {
  /** False when nothing describes the end user (an admin call without ContextData). */
  describesClient: boolean;
  ip?: string;
  userAgent?: string;
  deviceName?: string;
  fingerprint?: string;
  timezone?: string;
}

/** The request as it reached the server. */
export interface Connection {
  sourceIp: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ContextSources {
  /** Admin operations name the pool and take ContextData; public ones take UserContextData. */
  admin: boolean;
  /** The app client, when the operation names one (it may propagate UserContextData). */
  client?: ClientRecord;
  contextData?: ContextDataType;
  userContextData?: UserContextDataType;
  connection?: Connection;
}

function headerOf(headers: Connection["headers"] | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** ContextData.HttpHeaders: header names are matched without case, as HTTP's are. */
function contextHeader(contextData: ContextDataType, name: string): string | undefined {
  const found = contextData.HttpHeaders.find((h) => h.headerName?.toLowerCase() === name);
  return found?.headerValue || undefined;
}

function adminContext(contextData: ContextDataType | undefined): ClientContext {
  if (!contextData) return { describesClient: false };
  const userAgent = contextHeader(contextData, "user-agent");
  return {
    describesClient: true,
    ip: normaliseIp(contextData.IpAddress),
    userAgent,
    deviceName: deviceNameOf(userAgent),
    fingerprint: fingerprintOf(contextData.EncodedData),
    timezone: timezoneOf(contextData.EncodedData),
  };
}

function publicContext(sources: ContextSources): ClientContext {
  const { client, userContextData, connection } = sources;
  const propagated = client?.config.EnablePropagateAdditionalUserContextData === true;
  const ip = (propagated && userContextData?.IpAddress) || connection?.sourceIp;
  const userAgent = headerOf(connection?.headers, "user-agent");
  return {
    describesClient: true,
    ip: normaliseIp(ip),
    userAgent,
    deviceName: deviceNameOf(userAgent),
    fingerprint: fingerprintOf(userContextData?.EncodedData),
    timezone: timezoneOf(userContextData?.EncodedData),
  };
}

export function clientContextOf(sources: ContextSources): ClientContext {
  return sources.admin ? adminContext(sources.contextData) : publicContext(sources);
}

/** The context of a public operation (sign-up, password changes): its connection and UserContextData. */
export function publicRequestContext(
  connection: Connection,
  client?: ClientRecord,
  userContextData?: UserContextDataType,
): ClientContext {
  return clientContextOf({ admin: false, client, userContextData, connection });
}
