/** Random identifiers, all from the CSPRNG. */
import { randomBytes, randomInt, randomUUID } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

export function randomString(length: number, alphabet: string): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alphanumerics>`, as Cognito's pool ids. */
export function newPoolId(region: string): string {
  return `${region}_${randomString(9, ALNUM)}`;
}

/** 26 lower-case alphanumerics, as Cognito's client ids. */
export function newClientId(): string {
  return randomString(26, LOWER_ALNUM);
}

/** 51 lower-case alphanumerics, as Cognito's client secrets. */
export function newClientSecret(): string {
  return randomString(51, LOWER_ALNUM);
}

/** `d` and 13 lower-case alphanumerics under cloudfront.net, as CloudFront's distribution host names. */
export function newCloudFrontDomain(): string {
  return `d${randomString(13, LOWER_ALNUM)}.cloudfront.net`;
}

export function newUuid(): string {
  return randomUUID();
}

/** A numeric code of `digits` digits (confirmation, reset and OTP codes). */
export function newNumericCode(digits: number): string {
  return randomString(digits, "0123456789");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** `import-` + 10 alphanumerics, as Cognito's user import job ids [OBS]. */
export function newImportJobId(): string {
  return `import-${randomString(10, ALNUM)}`;
}
