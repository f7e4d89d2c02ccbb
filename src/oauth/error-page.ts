/** `GET /error` (OAUTH.md §2.0): Cognito's one sentence, with status 400. */
import { errorContent } from "../pages/error.js";
import type { EndpointRequest, EndpointResponse } from "./endpoint.js";
import { ERROR_PAGE_DETAILS, ERROR_PAGE_TEXT, LOGOUT_TARGET_MISSING } from "./errors.js";
import { clientOfSite } from "./site.js";
import { pageResponse } from "./views.js";

export async function errorPage(request: EndpointRequest): Promise<EndpointResponse> {
  const error = request.query.get("error");
  // A logout without a valid target is sent here with its own query, which has no `error` [OBS].
  const detail = error === undefined ? LOGOUT_TARGET_MISSING : (ERROR_PAGE_DETAILS[error] ?? error);
  const client = await clientOfSite(request.services, request.site, request.query.get("client_id"));
  return pageResponse(
    request,
    client,
    { title: ERROR_PAGE_TEXT, content: errorContent(detail) },
    { status: 400 },
  );
}
