/** Pages as responses: the frame of every page of a domain (its version, the app, the branding). */

import type { SafeHtml } from "../pages/html.js";
import { renderPage } from "../pages/layout.js";
import type { ClientRecord } from "../store/records.js";
import { type EndpointRequest, type EndpointResponse, html } from "./endpoint.js";

export interface PageBody {
  title: string;
  description?: string;
  content: SafeHtml;
}

/** A page of this domain for the app client (or the pool when no client is known). */
export function pageResponse(
  request: EndpointRequest,
  client: ClientRecord | undefined,
  body: PageBody,
  options: { status?: number; cookies?: string[] } = {},
): EndpointResponse {
  const page = renderPage({
    ...body,
    version: request.site.domain.managedLoginVersion,
    appName: client?.name ?? request.site.pool.name,
    lang: request.query.get("lang"),
  });
  return html(options.status ?? 200, page, options.cookies);
}
