/** `aws_client_metadata`: a URL-encoded JSON object of strings for PreTokenGeneration [DG]. */
import type { EndpointRequest } from "../endpoint.js";
import { OAuthErrors } from "../errors.js";

export function clientMetadataOf(request: EndpointRequest): Record<string, string> | undefined {
  const text = request.form?.get("aws_client_metadata");
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw OAuthErrors.invalidRequest();
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw OAuthErrors.invalidRequest();
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}
