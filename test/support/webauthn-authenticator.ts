/**
 * A software passkey authenticator for the tests: what a browser and its authenticator hand a
 * relying party, made with node:crypto. Registration answers CredentialCreationOptions with a
 * RegistrationResponseJSON ("none" attestation; authenticator data with the rpIdHash, flags,
 * counter, AAGUID, credential id and COSE public key); sign-in answers
 * CREDENTIAL_REQUEST_OPTIONS with an AuthenticationResponseJSON signed over authenticatorData ‖
 * SHA-256(clientDataJSON). Every part can be bent to make the answers the server must refuse.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from "node:crypto";

import { isoCBOR } from "@simplewebauthn/server/helpers";

export type Algorithm = "ES256" | "RS256" | "EdDSA";

type CborValue = Parameters<typeof isoCBOR.encode>[0];

const COSE_ALG: Record<Algorithm, number> = { ES256: -7, RS256: -257, EdDSA: -8 };

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

interface StoredCredential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  algorithm: Algorithm;
  privateKey: KeyObject;
  counter: number;
}

/** The parts of CredentialCreationOptions the authenticator reads. */
export interface CreationOptions {
  challenge: string;
  rp: { id: string; name?: string };
  user: { id: string; name: string; displayName?: string };
  pubKeyCredParams?: { alg: number; type: string }[];
  excludeCredentials?: { id: string; type: string }[];
  authenticatorSelection?: { userVerification?: string; residentKey?: string };
  timeout?: number;
}

/** The parts of PublicKeyCredentialRequestOptions (CREDENTIAL_REQUEST_OPTIONS) it reads. */
export interface RequestOptions {
  challenge: string;
  rpId: string;
  allowCredentials?: { id: string; type: string; transports?: string[] }[];
  userVerification?: string;
  timeout?: number;
}

export interface RegistrationResponse {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment?: string;
}

export interface AuthenticationResponse {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment?: string;
}

/** What a registration may bend: the ceremony's origin, type and challenge, the relying party, flags, format. */
export interface RegistrationOverrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  algorithm?: Algorithm;
  userVerified?: boolean;
  fmt?: string;
}

/** What a sign-in may bend, besides the same: the credential used and the counter reported. */
export interface AssertionOverrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  userVerified?: boolean;
  credentialId?: string;
  counter?: number;
  /** Sign with another key than the credential's. */
  forgeSignature?: boolean;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

/**
 * KeyObjects parsed from PEM, so that none shares its mutex with the key-generation job: Node 20
 * can deadlock exporting a generated key while a garbage collection destroys that job.
 */
function keyPair(algorithm: Algorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  const publicKeyEncoding = { type: "spki", format: "pem" } as const;
  const privateKeyEncoding = { type: "pkcs8", format: "pem" } as const;
  const generated =
    algorithm === "ES256"
      ? generateKeyPairSync("ec", { namedCurve: "P-256", publicKeyEncoding, privateKeyEncoding })
      : algorithm === "RS256"
        ? generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding, privateKeyEncoding })
        : generateKeyPairSync("ed25519", { publicKeyEncoding, privateKeyEncoding });
  return {
    privateKey: createPrivateKey(generated.privateKey),
    publicKey: createPublicKey(generated.publicKey),
  };
}

/** The credential public key as COSE_Key (RFC 9053): EC2 P-256, RSA, or OKP Ed25519. */
function coseKey(algorithm: Algorithm, publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  const bytes = (value: string | undefined) => new Uint8Array(Buffer.from(value ?? "", "base64url"));
  const key = new Map<number, CborValue>();
  if (algorithm === "ES256") {
    key.set(1, 2).set(3, COSE_ALG.ES256).set(-1, 1).set(-2, bytes(jwk.x)).set(-3, bytes(jwk.y));
  } else if (algorithm === "RS256") {
    key.set(1, 3).set(3, COSE_ALG.RS256).set(-1, bytes(jwk.n)).set(-2, bytes(jwk.e));
  } else {
    key.set(1, 1).set(3, COSE_ALG.EdDSA).set(-1, 6).set(-2, bytes(jwk.x));
  }
  return isoCBOR.encode(key);
}

function signWith(algorithm: Algorithm, privateKey: KeyObject, data: Buffer): Buffer {
  return sign(algorithm === "EdDSA" ? null : "sha256", data, privateKey);
}

function counterBytes(counter: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(counter);
  return out;
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8");
}

export class SoftwareAuthenticator {
  private readonly credentials = new Map<string, StoredCredential>();
  private readonly aaguid = randomBytes(16);

  constructor(
    private readonly settings: {
      /** The page the ceremonies run on, e.g. https://app.example.com. */
      origin: string;
      /** Whether the authenticator verifies its user (PIN, biometrics); default true. */
      userVerification?: boolean;
      attachment?: "platform" | "cross-platform";
      transports?: string[];
    },
  ) {}

  /** The ids (base64url) of the credentials this authenticator holds. */
  get credentialIds(): string[] {
    return [...this.credentials.keys()];
  }

  /** navigator.credentials.create(): a new key pair for the relying party and user. */
  register(options: CreationOptions, overrides: RegistrationOverrides = {}): RegistrationResponse {
    const algorithm = overrides.algorithm ?? "ES256";
    const rpId = overrides.rpId ?? options.rp.id;
    const { privateKey, publicKey } = keyPair(algorithm);
    const id = randomBytes(32);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_UP | FLAG_AT | (this.verifies(overrides.userVerified) ? FLAG_UV : 0)]),
      counterBytes(0),
      this.aaguid,
      idLength,
      id,
      coseKey(algorithm, publicKey),
    ]);
    const attestation = new Map<string, CborValue>([
      ["fmt", overrides.fmt ?? "none"],
      ["attStmt", new Map<string, CborValue>()],
      ["authData", new Uint8Array(authData)],
    ]);
    const data = clientData(
      overrides.type ?? "webauthn.create",
      overrides.challenge ?? options.challenge,
      overrides.origin ?? this.settings.origin,
    );
    this.credentials.set(b64url(id), {
      id,
      rpId,
      userHandle: options.user.id,
      algorithm,
      privateKey,
      counter: 0,
    });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(data),
        attestationObject: b64url(isoCBOR.encode(attestation)),
        transports: this.settings.transports ?? ["internal", "hybrid"],
      },
      clientExtensionResults: {},
      ...(this.settings.attachment && { authenticatorAttachment: this.settings.attachment }),
    };
  }

  /** navigator.credentials.get(): an assertion by one of the allowed credentials this authenticator holds. */
  authenticate(options: RequestOptions | string, overrides: AssertionOverrides = {}): AuthenticationResponse {
    const request: RequestOptions = typeof options === "string" ? JSON.parse(options) : options;
    const credential = this.pick(request, overrides.credentialId);
    credential.counter = overrides.counter ?? credential.counter + 1;
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? request.rpId),
      Buffer.from([FLAG_UP | (this.verifies(overrides.userVerified) ? FLAG_UV : 0)]),
      counterBytes(credential.counter),
    ]);
    const data = clientData(
      overrides.type ?? "webauthn.get",
      overrides.challenge ?? request.challenge,
      overrides.origin ?? this.settings.origin,
    );
    const signingKey = overrides.forgeSignature
      ? keyPair(credential.algorithm).privateKey
      : credential.privateKey;
    const signature = signWith(credential.algorithm, signingKey, Buffer.concat([authData, sha256(data)]));
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(data),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      ...(this.settings.attachment && { authenticatorAttachment: this.settings.attachment }),
    };
  }

  private verifies(override: boolean | undefined): boolean {
    return override ?? this.settings.userVerification ?? true;
  }

  /** The credential asked for, else the first allowed one held (a discoverable one for an empty list). */
  private pick(request: RequestOptions, credentialId: string | undefined): StoredCredential {
    const wanted = credentialId ?? request.allowCredentials?.find((c) => this.credentials.has(c.id))?.id;
    const credential = wanted
      ? this.credentials.get(wanted)
      : [...this.credentials.values()].find((c) => c.rpId === request.rpId);
    if (!credential) throw new Error("the authenticator holds no credential for this request");
    return credential;
  }
}
