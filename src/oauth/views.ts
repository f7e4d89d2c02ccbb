/**
 * Pages as responses. A handler answers with the page's own part (`pageResponse`); `framePage`
 * then renders it in the domain's frame: its version, the app's name, and the look of the pages
 * for that app client (appearance.ts). A version-2 page of a client to which managed login is
 * unavailable becomes the error page that says so.
 */
import { DEFAULT_APPEARANCE } from "../domain/branding.js";
import { errorContent } from "../pages/error.js";
import { type Branding, renderPage } from "../pages/layout.js";
import type { ClientRecord } from "../store/records.js";
import { classicBranding, managedAppearance, managedBranding } from "./appearance.js";
import { type EndpointRequest, type EndpointResponse, html, type PageBody } from "./endpoint.js";
import { ERROR_PAGE_TEXT, PageMessages } from "./errors.js";

export type { PageBody } from "./endpoint.js";

/** A page of this domain for the app client (or the pool when no client is known). */
export function pageResponse(
  request: EndpointRequest,
  client: ClientRecord | undefined,
  body: PageBody,
  options: { status?: number; cookies?: string[] } = {},
): EndpointResponse {
  const frame = {
    version: request.site.domain.managedLoginVersion,
    appName: client?.name ?? request.site.pool.name,
    lang: request.query.get("lang"),
  };
  return { ...html(options.status ?? 200, "", options.cookies), page: { ...body, ...frame, client } };
}

/** The look of a page: classic customization, or a managed-login style; undefined when unavailable. */
async function lookOf(
  request: EndpointRequest,
  client: ClientRecord | undefined,
  status: number,
): Promise<Branding | undefined> {
  if (request.site.domain.managedLoginVersion === 1) return (await classicBranding(request, client)) ?? {};
  const appearance = await managedAppearance(request, client);
  if (appearance) return managedBranding(client, appearance);
  // An error page still says what went wrong, in the default look.
  return status >= 400 ? managedBranding(undefined, DEFAULT_APPEARANCE) : undefined;
}

/** Renders a handler's page in the domain's frame; other responses pass unchanged. */
export async function framePage(
  request: EndpointRequest,
  response: EndpointResponse,
): Promise<EndpointResponse> {
  if (!response.page) return response;
  const { page, ...rest } = response;
  const { client, ...view } = page;
  const branding = await lookOf(request, client, response.status);
  if (!branding) {
    return html(
      400,
      renderPage({
        ...view,
        title: ERROR_PAGE_TEXT,
        description: undefined,
        content: errorContent(PageMessages.managedLoginUnavailable),
        branding: managedBranding(undefined, DEFAULT_APPEARANCE),
      }),
    );
  }
  return { ...rest, body: renderPage({ ...view, branding }) };
}
