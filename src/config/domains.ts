/**
 * How the pools' domains are reached (OAUTH.md §1.5): the loopback host names that route to a
 * domain, the URL discovery and links name a domain by, and an optional HTTPS listener.
 */
import { z } from "zod";

const hostLabel = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export const domainsConfigSchema = z
  .strictObject({
    /** `<prefix>.auth.<region>.<loopbackSuffix>` routes to the pool with that prefix domain. */
    loopbackSuffix: z
      .string()
      .regex(hostLabel, "must be a host name suffix such as localhost")
      .default("localhost"),
    /**
     * The URL of a domain in discovery and absolute links: a template with `{domain}` (the domain as
     * created) and `{host}` (`<prefix>.auth.<region>.<loopbackSuffix>`, or a custom domain's name).
     * Null: this server's own URL and `/_domain/{domain}`, which every client reaches without DNS.
     */
    publicUrl: z
      .string()
      .regex(
        /^https?:\/\/\S*\{(domain|host)\}\S*$/,
        "must be an http(s) URL template with {domain} or {host}",
      )
      .nullable()
      .default(null),
    /**
     * What version-2 (managed login) pages show for an app client without a managed-login style:
     * `error`, as Cognito (managed login is unavailable to such a client, OAUTH.md §7.1), or
     * `default`: the pages in the default style.
     */
    unstyledClients: z.enum(["error", "default"]).default("error"),
  })
  .prefault({});

export type DomainsConfig = z.infer<typeof domainsConfigSchema>;
