/**
 * Which of an app client's identity providers a name or an identifier asks for (OAUTH.md §2.1
 * step 8; FEDERATION.md §1.5): `identity_provider` names one, `idp_identifier` gives one of its
 * IdpIdentifiers — or, as typed into the sign-in page's search, an email address whose domain is
 * one [UNDOC].
 */
import { supportedIdentityProviders } from "../../domain/clients.js";
import { isCognitoProvider } from "../../domain/identity-providers.js";
import type { Services } from "../../services.js";
import type { IdentityProviderRecord } from "../../store/identity-providers.js";
import type { ClientRecord } from "../../store/records.js";

/** The provider, if the client lists it. */
export async function clientProvider(
  services: Services,
  client: ClientRecord,
  name: string,
): Promise<IdentityProviderRecord | undefined> {
  if (isCognitoProvider(name) || !supportedIdentityProviders(client).includes(name)) return undefined;
  return services.store.identityProviders.get(client.poolId, name);
}

/** The client's provider one of whose IdpIdentifiers is `identifier`, or the domain of an email address. */
export async function clientProviderByIdentifier(
  services: Services,
  client: ClientRecord,
  identifier: string,
): Promise<IdentityProviderRecord | undefined> {
  const at = identifier.lastIndexOf("@");
  const candidates = at < 0 ? [identifier] : [identifier, identifier.slice(at + 1).toLowerCase()];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const provider = await services.store.identityProviders.getByIdentifier(client.poolId, candidate);
    if (provider && supportedIdentityProviders(client).includes(provider.name)) return provider;
  }
  return undefined;
}

/** The client's outside providers, in the order it lists them. */
export async function clientProviders(
  services: Services,
  client: ClientRecord,
): Promise<IdentityProviderRecord[]> {
  const names = supportedIdentityProviders(client).filter((name) => !isCognitoProvider(name));
  const found = await Promise.all(
    names.map((name) => services.store.identityProviders.get(client.poolId, name)),
  );
  return found.filter((provider): provider is IdentityProviderRecord => provider !== undefined);
}
