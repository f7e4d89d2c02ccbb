/**
 * What federation tests serve in place of real identity providers' documents: a small HTTP server
 * answering configured paths (OIDC discovery documents, SAML metadata), and SAML metadata built in
 * the test with real X.509 certificates.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { newCertifiedKey } from "../../src/crypto/certificates.js";

export interface DocumentResponse {
  status?: number;
  body?: string;
  contentType?: string;
  /** Sent as the Location header (a redirect, with status 302 unless given). */
  location?: string;
}

export interface DocumentServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Answers GET `path` (query included) with `response`; unknown paths get 404. */
  serve(path: string, response: DocumentResponse): void;
  close(): Promise<void>;
}

export async function startDocumentServer(): Promise<DocumentServer> {
  const routes = new Map<string, DocumentResponse>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push(path);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404).end("not found");
      return;
    }
    const headers: Record<string, string> = { "content-type": route.contentType ?? "application/json" };
    if (route.location) headers.location = route.location;
    res.writeHead(route.status ?? (route.location ? 302 : 200), headers).end(route.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    serve: (path, response) => routes.set(path, response),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An OpenID Connect discovery document of `issuer`, with endpoints under it. */
export function discoveryDocument(issuer: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    ...overrides,
  });
}

/** A base64 DER certificate valid from `notBefore` for ten years (an expired one: start eleven years ago). */
export async function certificate(notBefore = new Date()): Promise<string> {
  return (await newCertifiedKey("idp.example.com", "signing", notBefore)).certificate;
}

export const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
export const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

export interface MetadataOptions {
  entityId?: string;
  /** Base64 DER certificates of KeyDescriptors use="signing". */
  signing?: string[];
  /** Base64 DER certificates of KeyDescriptors without `use`. */
  unspecified?: string[];
  /** Base64 DER certificates of KeyDescriptors use="encryption". */
  encryption?: string[];
  /** [binding, location] of each SingleSignOnService. */
  sso?: [string, string][];
  /** [binding, location] of each SingleLogoutService. */
  slo?: [string, string][];
}

function keyDescriptors(use: string | undefined, certificates: string[] = []): string {
  const attribute = use ? ` use="${use}"` : "";
  return certificates
    .map(
      (cert) =>
        `<md:KeyDescriptor${attribute}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n${cert.match(/.{1,64}/g)?.join("\n")}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join("\n");
}

function services(element: string, entries: [string, string][] = []): string {
  return entries
    .map(([binding, location]) => `<md:${element} Binding="${binding}" Location="${location}"/>`)
    .join("\n");
}

/** SAML 2.0 metadata of an identity provider, with the md: and ds: prefixes most IdPs use. */
export function samlMetadata(options: MetadataOptions): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${options.entityId ?? "https://idp.example.com/saml"}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
${keyDescriptors("signing", options.signing)}
${keyDescriptors(undefined, options.unspecified)}
${keyDescriptors("encryption", options.encryption)}
${services("SingleLogoutService", options.slo)}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
${services("SingleSignOnService", options.sso)}
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

/** Details of an OIDC provider with every endpoint given (nothing to discover), at idp.example.com. */
export const OIDC_DETAILS = {
  client_id: "oidc-client",
  client_secret: "oidc-secret",
  authorize_scopes: "openid email",
  attributes_request_method: "GET",
  oidc_issuer: "https://idp.example.com",
  authorize_url: "https://idp.example.com/authorize",
  token_url: "https://idp.example.com/token",
  attributes_url: "https://idp.example.com/userinfo",
  jwks_uri: "https://idp.example.com/jwks",
};

/** Details of a Google provider. */
export const GOOGLE_DETAILS = {
  client_id: "g-client",
  client_secret: "g-secret",
  authorize_scopes: "profile email openid",
};
