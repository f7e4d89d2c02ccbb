/**
 * Sign in with Apple's peculiarities (FEDERATION.md §2.2): the client secret is a JWT the relying
 * party signs with its key (ES256, `kid` the key ID, issued by the team for the Services ID, for
 * Apple, short-lived), and the user's name arrives once, with the first answer, in the posted
 * `user` parameter.
 */

/** Apple allows up to six months; each code exchange gets a fresh one [UNDOC]. */
const SECRET_LIFETIME_SECONDS = 300;

/** A p8 key as Apple hands it out, or its base64 body alone, as PKCS#8 PEM. */
function pem(privateKey: string): string {
  if (privateKey.includes("-----BEGIN")) return privateKey;
  const body =
    privateKey
      .replace(/\s+/g, "")
      .match(/.{1,64}/g)
      ?.join("\n") ?? "";
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

/**
 * The client secret of one code exchange. `audience` is Apple's issuer (`https://appleid.apple.com`,
 * or the one configured in its place).
 */
export async function appleClientSecret(
  details: Readonly<Record<string, string>>,
  audience: string,
  now: Date,
): Promise<string> {
  const { importPKCS8, SignJWT } = await import("jose");
  const key = await importPKCS8(pem(details.private_key ?? ""), "ES256");
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: details.key_id })
    .setIssuer(details.team_id)
    .setSubject(details.client_id)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + SECRET_LIFETIME_SECONDS)
    .sign(key);
}

/** The name (and email) Apple posts with the first answer, as `firstName` and `lastName` [UNDOC]. */
export function appleUserAttributes(user: string | undefined): Record<string, string> {
  if (!user) return {};
  try {
    const parsed = JSON.parse(user) as { name?: { firstName?: unknown; lastName?: unknown } };
    const attributes: Record<string, string> = {};
    if (typeof parsed.name?.firstName === "string") attributes.firstName = parsed.name.firstName;
    if (typeof parsed.name?.lastName === "string") attributes.lastName = parsed.name.lastName;
    return attributes;
  } catch {
    return {};
  }
}
