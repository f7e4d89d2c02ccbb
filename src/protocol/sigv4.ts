/**
 * SigV4 for IAM-authorized operations. With credentials configured every request is re-signed with
 * the stored secret (canonicalisation by @smithy/signature-v4) and the signatures compared in
 * constant time; the payload hash is always computed from the body received, so a tampered body
 * fails even when the client sent `x-amz-content-sha256`. Without credentials (loopback only, see
 * server.ts), any well-formed signature is accepted and only the region of its scope is read.
 *
 * The checks and their order follow what AWS's own front end answers: missing → malformed →
 * date → host → algorithm → credential scope → access key → signature → security token.
 */
import { sameText } from "../crypto/compare.js";
import { Errors, type ScopeProblems } from "../domain/errors.js";
import type { IamAuthorizer, RpcRequest } from "./dispatch.js";
import { SERVICE } from "./model.generated.js";
import type { CanonicalSigner } from "./sigv4-signature.js";

export interface IamCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

/** AWS accepts a request signed up to 15 minutes before or after its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const TERMINATOR = "aws4_request";
/** The region becomes part of pool ids (`<region>_<id>`), so it must not hold `_` or odd characters. */
const REGION_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** SigV4's algorithm name, the only one AWS's front end takes. */
const ALGORITHM_IDENTIFIER = "AWS4-HMAC-SHA256";

export function header(request: RpcRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** `Credential=AKID/20240101/us-east-1/cognito-idp/aws4_request` → its parts. */
export function credentialScope(
  request: RpcRequest,
): { accessKeyId: string; date: string; region: string } | undefined {
  const auth = header(request, "authorization");
  const match = auth?.match(/Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/[^/,\s]+\/aws4_request/);
  return match ? { accessKeyId: match[1], date: match[2], region: match[3] } : undefined;
}

interface ParsedAuthorization {
  algorithm: string;
  credential: string[];
  signedHeaders: string[];
  signature: string;
  /** x-amz-date as sent, e.g. 20240101T120000Z. */
  longDate: string;
  signingDate: Date;
}

/** Reads the Authorization header; throws Cognito's error for a missing or malformed one. */
function parseAuthorization(request: RpcRequest): ParsedAuthorization {
  const auth = header(request, "authorization")?.trim();
  if (!auth?.startsWith("AWS4-")) throw Errors.missingAuthentication();
  const space = auth.search(/\s/);
  const algorithm = space < 0 ? auth : auth.slice(0, space);
  const params = new Map<string, string>();
  for (const pair of (space < 0 ? "" : auth.slice(space + 1)).split(",")) {
    const trimmed = pair.trim();
    if (trimmed === "") continue;
    const eq = trimmed.indexOf("=");
    if (eq < 0) throw Errors.authorizationPairInvalid(trimmed, auth);
    params.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  const longDate = header(request, "x-amz-date")?.trim();
  const missing = ["Credential", "Signature", "SignedHeaders"]
    .filter((name) => !params.get(name))
    .map((name) => `Authorization header requires '${name}' parameter.`);
  if (!longDate) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0 || !longDate) throw Errors.incompleteSignature(missing, auth);
  return {
    algorithm,
    credential: (params.get("Credential") as string).replace(/\/+$/, "").split("/"),
    signedHeaders: (params.get("SignedHeaders") as string).toLowerCase().split(";"),
    signature: params.get("Signature") as string,
    longDate,
    signingDate: parseBasicDate(longDate),
  };
}

function basicFormat(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** `20240101T120000Z` → Date; anything else (or an impossible date) is IncompleteSignatureException. */
function parseBasicDate(value: string): Date {
  const m = value.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  const date = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  if (!date || Number.isNaN(date.getTime()) || basicFormat(date) !== value) {
    throw Errors.signatureDateInvalid(value);
  }
  return date;
}

function assertFresh(signingDate: Date, longDate: string, now: Date): void {
  const skew = signingDate.getTime() - now.getTime();
  if (skew < -MAX_SKEW_MS) {
    throw Errors.signatureExpired(
      longDate,
      basicFormat(new Date(now.getTime() - MAX_SKEW_MS)),
      basicFormat(now),
    );
  }
  if (skew > MAX_SKEW_MS) {
    throw Errors.signatureNotYetCurrent(
      longDate,
      basicFormat(new Date(now.getTime() + MAX_SKEW_MS)),
      basicFormat(now),
    );
  }
}

interface Scope {
  accessKeyId: string;
  shortDate: string;
  region: string;
}

/** Checks the shape and every part of the credential scope, reporting all wrong parts at once. */
function checkScope(parsed: ParsedAuthorization): Scope {
  if (!parsed.signedHeaders.includes("host")) throw Errors.hostNotSigned();
  if (parsed.algorithm !== ALGORITHM_IDENTIFIER) throw Errors.signatureAlgorithmUnsupported(parsed.algorithm);
  if (parsed.credential.length !== 5) throw Errors.credentialMalformed(parsed.credential.join("/"));
  const [accessKeyId, shortDate, region, service, terminator] = parsed.credential;
  const problems: ScopeProblems = {};
  if (!REGION_PATTERN.test(region)) problems.region = region;
  if (service !== SERVICE.signingName) problems.service = SERVICE.signingName;
  if (terminator !== TERMINATOR) problems.terminator = terminator;
  if (shortDate !== parsed.longDate.slice(0, 8))
    problems.date = { scope: shortDate, longDate: parsed.longDate };
  if (Object.keys(problems).length > 0) throw Errors.scopeInvalid(problems);
  return { accessKeyId, shortDate, region };
}

async function verify(
  request: RpcRequest,
  credentials: Map<string, IamCredential>,
  signer: Promise<CanonicalSigner>,
  now: Date,
): Promise<string> {
  const parsed = parseAuthorization(request);
  assertFresh(parsed.signingDate, parsed.longDate, now);
  const scope = checkScope(parsed);
  const credential = credentials.get(scope.accessKeyId);
  if (!credential) throw Errors.unrecognizedClient();

  const { signature, canonicalRequest, stringToSign } = await (await signer).expectedSignature(
    request,
    credential,
    {
      signedHeaders: parsed.signedHeaders,
      longDate: parsed.longDate,
      shortDate: scope.shortDate,
      region: scope.region,
      scope: `${scope.shortDate}/${scope.region}/${SERVICE.signingName}/${TERMINATOR}`,
    },
  );
  if (!sameText(signature, parsed.signature.toLowerCase())) {
    throw Errors.invalidSignature(canonicalRequest, stringToSign);
  }
  // Configured credentials are long-term keys: a session token cannot belong to them.
  if (header(request, "x-amz-security-token") !== undefined) throw Errors.securityTokenInvalid();
  return scope.region;
}

/** Without credentials: no verification, but a scope that is present must name a usable region. */
function regionOfScope(request: RpcRequest): string | undefined {
  const region = credentialScope(request)?.region;
  if (region !== undefined && !REGION_PATTERN.test(region)) {
    throw Errors.scopeInvalid({ region });
  }
  return region;
}

/**
 * `wallClock` is the real time, not services.clock: clients sign with their own clock, and a test
 * that moves the server's time must not make every signature expire.
 */
export function createIamAuthorizer(
  credentials: IamCredential[],
  wallClock: () => Date = () => new Date(),
): IamAuthorizer {
  if (credentials.length === 0) return async (request) => regionOfScope(request);
  const byKey = new Map(credentials.map((c) => [c.accessKeyId, c]));
  // The signing library loads with the first signed request: a server without keys never needs it.
  let signer: Promise<CanonicalSigner> | undefined;
  return async (request) => {
    signer ??= import("./sigv4-signature.js").then(({ CanonicalSigner }) => new CanonicalSigner());
    return verify(request, byKey, signer, wallClock());
  };
}
