/** Step 6: the AuthParameters (or ChallengeResponses) a flow or challenge cannot do without. */
import { Errors } from "../../domain/errors.js";

/** Throws `Missing required parameter <KEY>` for the first absent or empty key. */
export function requireParameters(parameters: Record<string, string>, names: readonly string[]): void {
  for (const name of names) {
    if (!parameters[name]) throw Errors.missingParameter(name);
  }
}
