/**
 * Passkeys (WebAuthn, CHALLENGES.md §3.8): the pool's relying party and user-verification rule,
 * registration (StartWebAuthnRegistration → CompleteWebAuthnRegistration) and the WEB_AUTHN
 * sign-in challenge (CREDENTIAL_REQUEST_OPTIONS → CREDENTIAL). Cognito accepts ES256 and RS256
 * keys and any attestation format it can check, without trusting its certificates; the
 * ceremony's origin must be the relying party or one of its subdomains.
 */
import { createHash } from "node:crypto";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { randomToken } from "../crypto/random.js";
import type {
  WebAuthnConfigurationType,
  WebAuthnCredentialDescription,
} from "../protocol/types.generated.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { WebAuthnConfigRecord, WebAuthnCredentialRecord } from "../store/webauthn.js";
import { Errors } from "./errors.js";
import { userMfaSettings } from "./mfa.js";

/** Cognito's limit [DG quotas, LIMITS.md §7]. */
export const MAX_PASSKEYS_PER_USER = 20;
/** The `timeout` of the creation options [OBS API example]. */
export const REGISTRATION_TIMEOUT_MS = 60_000;
/** The `timeout` of CREDENTIAL_REQUEST_OPTIONS [API example]. */
export const SIGN_IN_TIMEOUT_MS = 180_000;
/** How long a registration may take to complete [UNDOC: the ceremony's timeout, with a margin]. */
const REGISTRATION_VALIDITY_MS = 5 * 60 * 1000;
/** The COSE algorithms Cognito accepts: ES256 and RS256 [API example pubKeyCredParams]. */
/** COSE algorithm identifiers: ES256 and RS256. */
const SUPPORTED_ALGORITHMS = [-7, -257];
/** The COSE key parameter that names the algorithm. */
const COSE_KEY_ALG = 3;

type WebAuthnLibrary = typeof import("@simplewebauthn/server") &
  typeof import("@simplewebauthn/server/helpers");
let loading: Promise<WebAuthnLibrary> | undefined;
let library: WebAuthnLibrary | undefined;

/**
 * The WebAuthn library, loaded by the first passkey operation that needs it: it weighs ~20 MB that
 * no other request needs (docs/PERFORMANCE.md, Memory).
 */
function loadLibrary(): Promise<WebAuthnLibrary> {
  loading ??= Promise.all([import("@simplewebauthn/server"), import("@simplewebauthn/server/helpers")]).then(
    ([server, helpers]) => {
      library = { ...server, ...helpers };
      return library;
    },
  );
  return loading;
}

/** The library, in code that runs after an entry point awaited `loadLibrary`. */
function lib(): WebAuthnLibrary {
  if (!library) throw new Error("the WebAuthn library is used before it was loaded");
  return library;
}
/** What the verifier library can check; no certificate chain is trusted or required [UNDOC]. */
const SUPPORTED_FORMATS = new Set(["none", "packed", "fido-u2f", "android-key", "tpm", "apple"]);
const CHALLENGE_BYTES = 32;

// ---------------------------------------------------------------------------------------------
// The pool's configuration (SetUserPoolMfaConfig's WebAuthnConfiguration).

/** The pool's WebAuthn settings with Cognito's defaults: user verification preferred, first factor. */
export interface WebAuthnSettings {
  /** The configured relying party, else the pool's domain; undefined when it has neither. */
  relyingPartyId: string | undefined;
  userVerification: "required" | "preferred";
  factorConfiguration: "SINGLE_FACTOR" | "MULTI_FACTOR_WITH_USER_VERIFICATION";
}

function poolDomain(pool: PoolRecord): string | undefined {
  return pool.config.CustomDomain ?? pool.config.Domain;
}

export async function webAuthnSettings(store: Store, pool: PoolRecord): Promise<WebAuthnSettings> {
  const stored = await store.webAuthn.getConfig(pool.id);
  return {
    relyingPartyId: stored?.relyingPartyId ?? poolDomain(pool),
    userVerification: stored?.userVerification ?? "preferred",
    factorConfiguration: stored?.factorConfiguration ?? "SINGLE_FACTOR",
  };
}

/**
 * WebAuthnConfiguration as GetUserPoolMfaConfig and SetUserPoolMfaConfig answer it: what
 * SetUserPoolMfaConfig set, defaults filled in; absent while it never set any [UNDOC].
 */
export async function describeWebAuthnConfiguration(
  store: Store,
  pool: PoolRecord,
): Promise<WebAuthnConfigurationType | undefined> {
  const stored = await store.webAuthn.getConfig(pool.id);
  if (!stored) return undefined;
  return {
    ...(stored.relyingPartyId && { RelyingPartyId: stored.relyingPartyId }),
    UserVerification: stored.userVerification,
    FactorConfiguration: stored.factorConfiguration,
  };
}

/**
 * SetUserPoolMfaConfig's WebAuthnConfiguration: given, it replaces the pool's (omitted members
 * revert to the defaults); absent, the pool's stays as it is [UNDOC].
 */
export async function setWebAuthnConfiguration(
  store: Store,
  pool: PoolRecord,
  given: WebAuthnConfigurationType | undefined,
  now: Date,
): Promise<void> {
  if (!given) return;
  const record: WebAuthnConfigRecord = {
    poolId: pool.id,
    relyingPartyId: given.RelyingPartyId ?? null,
    userVerification: given.UserVerification ?? "preferred",
    factorConfiguration: given.FactorConfiguration ?? "SINGLE_FACTOR",
    updatedAt: now,
  };
  await store.webAuthn.putConfig(record);
}

/**
 * Passkey MFA, the one rule of it: a passkey sign-in is the user's multi-factor authentication when
 * the pool lets passkeys count as MFA (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION) and
 * the user turned passkey MFA on (WebAuthnMfaSettings.Enabled) [API]. Such a sign-in must verify the
 * user (the UV flag) [API], and is then offered where MFA is required (sign-in-factors.ts).
 */
export function passkeyIsMfa(settings: WebAuthnSettings, user: UserRecord): boolean {
  return (
    settings.factorConfiguration === "MULTI_FACTOR_WITH_USER_VERIFICATION" &&
    userMfaSettings(user).webAuthn === true
  );
}

/** The user verification a passkey sign-in asks for: required where it is the user's MFA, else the pool's. */
function signInUserVerification(settings: WebAuthnSettings, user: UserRecord): "required" | "preferred" {
  return passkeyIsMfa(settings, user) ? "required" : settings.userVerification;
}

/** Passkeys are on when the pool's sign-in policy allows WEB_AUTHN as a first factor. */
export function passkeysEnabled(pool: PoolRecord): boolean {
  return (pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? []).includes("WEB_AUTHN");
}

/** The relying party passkey ceremonies run for, or Cognito's error when the pool has none. */
function requireRelyingParty(settings: WebAuthnSettings): string {
  if (!settings.relyingPartyId) throw Errors.webAuthnConfigurationMissing();
  return settings.relyingPartyId;
}

/**
 * Whether a ceremony's origin belongs to the relying party: HTTPS on the relying party's host or
 * one of its subdomains, any port; plain HTTP only on localhost, as browsers allow it there.
 */
export function originAllowed(origin: string, relyingPartyId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  const rp = relyingPartyId.toLowerCase();
  const onRelyingParty = host === rp || host.endsWith(`.${rp}`);
  if (url.protocol === "https:") return onRelyingParty;
  return url.protocol === "http:" && onRelyingParty && (host === "localhost" || host.endsWith(".localhost"));
}

function rpIdHash(relyingPartyId: string): Buffer {
  return createHash("sha256").update(relyingPartyId, "utf8").digest();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** The WebAuthn user handle of a user: its sub, which never changes [UNDOC]. */
function userHandle(user: UserRecord): string {
  return lib().isoBase64URL.fromUTF8String(user.sub);
}

// ---------------------------------------------------------------------------------------------
// Registration.

/** A JSON object given as a Document (CompleteWebAuthnRegistration) or as text (CREDENTIAL). */
function credentialObject(value: unknown): Record<string, unknown> {
  const parsed = typeof value === "string" ? parseJson(value) : value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw Errors.webAuthnCredentialMalformed();
  }
  return parsed as Record<string, unknown>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw Errors.webAuthnCredentialMalformed();
  }
}

function responseMember(credential: Record<string, unknown>, name: string): string {
  const response = credential.response;
  const value =
    typeof response === "object" && response !== null
      ? (response as Record<string, unknown>)[name]
      : undefined;
  if (typeof value !== "string" || value === "" || !lib().isoBase64URL.isBase64URL(value)) {
    throw Errors.webAuthnCredentialMalformed();
  }
  return value;
}

/** Decodes with the verifier's own helpers; anything they cannot read is a malformed credential. */
function decoded<T>(decode: () => T): T {
  try {
    return decode();
  } catch {
    throw Errors.webAuthnCredentialMalformed();
  }
}

/**
 * StartWebAuthnRegistration: the CredentialCreationOptions for the user's authenticator, with a
 * new challenge kept for this user and app client (replacing an unfinished registration).
 */
export async function startRegistration(
  store: Store,
  request: { pool: PoolRecord; user: UserRecord; clientId: string; now: Date },
): Promise<Record<string, unknown>> {
  const { pool, user, clientId, now } = request;
  if (!passkeysEnabled(pool)) throw Errors.webAuthnNotEnabled();
  const settings = await webAuthnSettings(store, pool);
  const relyingPartyId = requireRelyingParty(settings);
  if ((await store.webAuthn.countCredentials(pool.id, user.sub)) >= MAX_PASSKEYS_PER_USER) {
    throw Errors.passkeyLimitExceeded(MAX_PASSKEYS_PER_USER);
  }
  const challenge = randomToken(CHALLENGE_BYTES);
  await store.webAuthn.putRegistration({
    poolId: pool.id,
    sub: user.sub,
    usernameKey: user.usernameKey,
    clientId,
    challenge,
    relyingPartyId,
    userVerification: settings.userVerification,
    expiresAt: new Date(now.getTime() + REGISTRATION_VALIDITY_MS),
  });
  const registered = await store.webAuthn.listCredentials(pool.id, user.sub, MAX_PASSKEYS_PER_USER);
  await loadLibrary();
  return {
    authenticatorSelection: {
      requireResidentKey: true,
      residentKey: "required",
      userVerification: settings.userVerification,
    },
    challenge,
    excludeCredentials: registered.map((c) => ({ id: c.credentialId, type: "public-key" })),
    pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ alg, type: "public-key" })),
    rp: { id: relyingPartyId, name: relyingPartyId },
    timeout: REGISTRATION_TIMEOUT_MS,
    user: { displayName: user.username, id: userHandle(user), name: user.username },
  };
}

interface Registration {
  relyingPartyId: string;
  challenge: string;
  userVerification: "required" | "preferred";
}

/**
 * What Cognito tells apart before the signature is checked, each with its own error: the
 * challenge, the origin, the relying party, and an algorithm or format it does not take.
 */
function checkRegistrationResponse(credential: Record<string, unknown>, registration: Registration): void {
  const { decodeClientDataJSON, decodeAttestationObject, isoBase64URL, parseAuthenticatorData } = lib();
  const clientData = decoded(() => decodeClientDataJSON(responseMember(credential, "clientDataJSON")));
  if (clientData.type !== "webauthn.create") throw Errors.webAuthnCredentialMalformed();
  if (clientData.challenge !== registration.challenge) throw Errors.webAuthnChallengeMismatch();
  if (!originAllowed(clientData.origin, registration.relyingPartyId)) {
    throw Errors.webAuthnOriginNotAllowed(clientData.origin, registration.relyingPartyId);
  }
  const attestation = decoded(() =>
    decodeAttestationObject(isoBase64URL.toBuffer(responseMember(credential, "attestationObject"))),
  );
  const authData = decoded(() => parseAuthenticatorData(attestation.get("authData")));
  if (!sameBytes(authData.rpIdHash, rpIdHash(registration.relyingPartyId))) {
    throw Errors.webAuthnRelyingPartyMismatch(registration.relyingPartyId);
  }
  if (!authData.credentialPublicKey) throw Errors.webAuthnCredentialMalformed();
  const publicKey = authData.credentialPublicKey;
  const alg = decoded(() => lib().decodeCredentialPublicKey(publicKey).get(COSE_KEY_ALG));
  if (
    alg === undefined ||
    !SUPPORTED_ALGORITHMS.includes(alg) ||
    !SUPPORTED_FORMATS.has(attestation.get("fmt"))
  ) {
    throw Errors.webAuthnCredentialNotSupported();
  }
  if (registration.userVerification === "required" && !authData.flags.uv) {
    throw Errors.webAuthnUserNotVerified();
  }
}

/** The attestation's signature, flags and key, checked by the verifier library. */
async function verifiedRegistration(
  credential: Record<string, unknown>,
  registration: Registration,
  origin: string,
) {
  try {
    const result = await lib().verifyRegistrationResponse({
      response: credential as unknown as RegistrationResponseJSON,
      expectedChallenge: registration.challenge,
      expectedOrigin: origin,
      expectedRPID: registration.relyingPartyId,
      requireUserVerification: registration.userVerification === "required",
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
    if (result.verified) return result.registrationInfo;
  } catch {
    // Every remaining failure is the credential's: a bad signature or statement, missing data.
  }
  throw Errors.webAuthnCredentialInvalid();
}

function transportsOf(credential: Record<string, unknown>): string[] {
  const response = credential.response as Record<string, unknown>;
  return Array.isArray(response.transports)
    ? response.transports.filter((t): t is string => typeof t === "string")
    : [];
}

/**
 * CompleteWebAuthnRegistration: the authenticator's answer to the user's registration in
 * progress, which it ends. The passkey is stored under the relying party it was made for.
 */
export async function completeRegistration(
  store: Store,
  request: { pool: PoolRecord; user: UserRecord; clientId: string; credential: unknown; now: Date },
): Promise<void> {
  const { pool, user, clientId, now } = request;
  if (!passkeysEnabled(pool)) throw Errors.webAuthnNotEnabled();
  const registration = await store.webAuthn.getRegistration(pool.id, user.sub);
  if (!registration || now >= registration.expiresAt) throw Errors.webAuthnChallengeNotFound();
  if (registration.clientId !== clientId) throw Errors.webAuthnClientMismatch();
  await loadLibrary();
  const credential = credentialObject(request.credential);
  checkRegistrationResponse(credential, registration);
  const origin = lib().decodeClientDataJSON(responseMember(credential, "clientDataJSON")).origin;
  const info = await verifiedRegistration(credential, registration, origin);
  if ((await store.webAuthn.countCredentials(pool.id, user.sub)) >= MAX_PASSKEYS_PER_USER) {
    throw Errors.passkeyLimitExceeded(MAX_PASSKEYS_PER_USER);
  }
  if (!(await store.webAuthn.takeRegistration(pool.id, user.sub, registration.challenge))) {
    throw Errors.webAuthnChallengeNotFound();
  }
  const attachment = credential.authenticatorAttachment;
  await store.webAuthn
    .insertCredential({
      poolId: pool.id,
      credentialId: info.credential.id,
      usernameKey: user.usernameKey,
      sub: user.sub,
      publicKey: lib().isoBase64URL.fromBuffer(info.credential.publicKey),
      signCount: info.credential.counter,
      transports: transportsOf(credential),
      attachment: typeof attachment === "string" ? attachment : null,
      friendlyName: friendlyName(typeof attachment === "string" ? attachment : undefined),
      relyingPartyId: registration.relyingPartyId,
      createdAt: now,
    })
    .catch((error: unknown) => {
      if ((error as Error).name === "DuplicateKeyError") throw Errors.passkeyAlreadyRegistered();
      throw error;
    });
}

/** Cognito names passkeys itself; the API cannot [UNDOC: named by how the authenticator attaches]. */
function friendlyName(attachment: string | undefined): string {
  if (attachment === "platform") return "Platform passkey";
  if (attachment === "cross-platform") return "Roaming passkey";
  return "Passkey";
}

// ---------------------------------------------------------------------------------------------
// The user's passkeys.

export function describeCredential(credential: WebAuthnCredentialRecord): WebAuthnCredentialDescription {
  return {
    CredentialId: credential.credentialId,
    FriendlyCredentialName: credential.friendlyName,
    RelyingPartyId: credential.relyingPartyId,
    ...(credential.attachment && { AuthenticatorAttachment: credential.attachment }),
    AuthenticatorTransports: credential.transports,
    CreatedAt: credential.createdAt,
  };
}

export async function deleteCredential(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  credentialId: string,
): Promise<void> {
  if (!(await store.webAuthn.deleteCredential(pool.id, user.sub, credentialId))) {
    throw Errors.passkeyNotFound();
  }
}

/** The user's passkeys that work with the pool's relying party now: those made for it. */
export async function usablePasskeys(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
): Promise<WebAuthnCredentialRecord[]> {
  const { relyingPartyId } = await webAuthnSettings(store, pool);
  if (!relyingPartyId) return [];
  const all = await store.webAuthn.listCredentials(pool.id, user.sub, MAX_PASSKEYS_PER_USER);
  return all.filter((credential) => credential.relyingPartyId === relyingPartyId);
}

/** What a user has for a passkey sign-in: how many passkeys work now, and whether it would be its MFA. */
export async function passkeyFacts(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
): Promise<{ passkeys: number; passkeyIsMfa: boolean }> {
  const settings = await webAuthnSettings(store, pool);
  const passkeys = await usablePasskeys(store, pool, user);
  return { passkeys: passkeys.length, passkeyIsMfa: passkeyIsMfa(settings, user) };
}

// ---------------------------------------------------------------------------------------------
// The WEB_AUTHN sign-in challenge.

/** What the WEB_AUTHN challenge keeps in its Session to check the answer against. */
export interface PasskeyChallenge {
  challenge: string;
  relyingPartyId: string;
  userVerification: "required" | "preferred";
}

/**
 * A new sign-in challenge for the user's usable passkeys: what the Session keeps, and the
 * CREDENTIAL_REQUEST_OPTIONS (PublicKeyCredentialRequestOptionsJSON as text) the client gets.
 */
export async function passkeyChallenge(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
): Promise<{ state: PasskeyChallenge; requestOptions: string }> {
  const settings = await webAuthnSettings(store, pool);
  const relyingPartyId = requireRelyingParty(settings);
  const passkeys = await usablePasskeys(store, pool, user);
  const state: PasskeyChallenge = {
    challenge: randomToken(CHALLENGE_BYTES),
    relyingPartyId,
    userVerification: signInUserVerification(settings, user),
  };
  const requestOptions = JSON.stringify({
    challenge: state.challenge,
    timeout: SIGN_IN_TIMEOUT_MS,
    rpId: relyingPartyId,
    allowCredentials: passkeys.map((c) => ({
      type: "public-key",
      id: c.credentialId,
      ...(c.transports.length > 0 && { transports: c.transports }),
    })),
    userVerification: state.userVerification,
  });
  return { state, requestOptions };
}

/** The client data of an assertion: a `webauthn.get` for this challenge, from an allowed origin. */
function checkAssertionClientData(credential: Record<string, unknown>, expected: PasskeyChallenge): string {
  const clientData = decoded(() => lib().decodeClientDataJSON(responseMember(credential, "clientDataJSON")));
  if (clientData.type !== "webauthn.get" || clientData.challenge !== expected.challenge) {
    throw Errors.passkeyVerificationFailed();
  }
  if (!originAllowed(clientData.origin, expected.relyingPartyId)) throw Errors.passkeyVerificationFailed();
  return clientData.origin;
}

/**
 * The answer to a WEB_AUTHN challenge (CREDENTIAL, an AuthenticationResponseJSON as text): one of
 * the user's passkeys for this relying party signed this challenge, from an allowed origin, with
 * the user verified when the challenge required it (the pool's rule, or passkey MFA), and a
 * signature counter that moved on (a cloned authenticator's does not). Any failure is a failed
 * sign-in.
 */
export async function verifyPasskeyAssertion(
  store: Store,
  request: { pool: PoolRecord; user: UserRecord; expected: PasskeyChallenge; credential: string },
): Promise<void> {
  const { pool, user, expected } = request;
  await loadLibrary();
  const credential = credentialObject(request.credential);
  const id = typeof credential.id === "string" ? credential.id : undefined;
  const stored = id === undefined ? undefined : await store.webAuthn.getCredential(pool.id, id);
  if (!stored || stored.sub !== user.sub || stored.relyingPartyId !== expected.relyingPartyId) {
    throw Errors.passkeyNotRegistered();
  }
  const origin = checkAssertionClientData(credential, expected);
  let newCounter: number;
  try {
    const result = await lib().verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: expected.challenge,
      expectedOrigin: origin,
      expectedRPID: expected.relyingPartyId,
      credential: {
        id: stored.credentialId,
        publicKey: lib().isoBase64URL.toBuffer(stored.publicKey),
        counter: stored.signCount,
      },
      requireUserVerification: expected.userVerification === "required",
    });
    if (!result.verified) throw Errors.passkeyVerificationFailed();
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    throw Errors.passkeyVerificationFailed();
  }
  // Authenticators that keep no counter report 0 every time; theirs stays 0.
  if (newCounter === 0 && stored.signCount === 0) return;
  if (!(await store.webAuthn.advanceSignCount(pool.id, stored.credentialId, stored.signCount, newCounter))) {
    throw Errors.passkeyVerificationFailed();
  }
}
