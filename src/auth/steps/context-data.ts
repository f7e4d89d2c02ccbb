/**
 * Step 1 (after the model's own validation): threat-protection context. ContextData and
 * UserContextData are accepted and kept for the risk evaluation of a later issue; an IpAddress that
 * is not an IP address is refused [DG: "check that IpAddress is valid IPv4/IPv6"; message UNDOC].
 */
import { isIP } from "node:net";
import { Errors } from "../../domain/errors.js";
import type { SignInRequest } from "../sign-in.js";

export function checkContextData(request: SignInRequest): void {
  const { contextData, userContextData } = request;
  if (contextData && isIP(contextData.IpAddress) === 0) {
    throw Errors.invalidContextIpAddress("contextData.ipAddress");
  }
  if (userContextData?.IpAddress !== undefined && isIP(userContextData.IpAddress) === 0) {
    throw Errors.invalidContextIpAddress("userContextData.ipAddress");
  }
}
