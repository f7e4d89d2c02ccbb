/**
 * Ids chosen by the caller instead of drawn at random: the `_custom_id_` tag of CreateUserPool (as
 * LocalStack users already write in their Terraform and CDK code) and the fixed ids of a seed file.
 * A chosen id must have the form Cognito's own ids have, and be free.
 */
import type { OperationName } from "../protocol/model.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import { Errors } from "./errors.js";

/** The tag whose value is the new pool's id. */
export const CUSTOM_ID_TAG = "_custom_id_";

interface IdForm {
  kind: string;
  pattern: RegExp;
  /** What the error says the id must be. */
  form: string;
}

/** The model's UserPoolIdType (`[\w-]+_[0-9a-zA-Z]+`, at most 55 characters). */
const POOL_ID: IdForm = {
  kind: "user pool",
  pattern: /^[\w-]+_[0-9a-zA-Z]+$/,
  form: "<region>_<letters and digits>, at most 55 characters",
};
/** The model's ClientIdType (`[\w+]+`, 1 to 128 characters). */
const CLIENT_ID: IdForm = {
  kind: "user pool client",
  pattern: /^[\w+]+$/,
  form: "letters, digits, '_' or '+', at most 128 characters",
};

function checked(form: IdForm, id: string, maxLength: number): string {
  if (id.length > maxLength || !form.pattern.test(id)) throw Errors.customIdInvalid(form.kind, id, form.form);
  return id;
}

/** The pool id the request chose (the seed's, else the tag's), checked; undefined for a random one. */
export function chosenPoolId(chosen: string | undefined, tags: Record<string, string> | undefined) {
  const id = chosen ?? tags?.[CUSTOM_ID_TAG];
  return id === undefined ? undefined : checked(POOL_ID, id, 55);
}

/** The client id the seed chose, checked; undefined for a random one. */
export function chosenClientId(chosen: string | undefined): string | undefined {
  return chosen === undefined ? undefined : checked(CLIENT_ID, chosen, 128);
}

/** Inserts under a chosen id: one that is taken is the caller's error, not a server fault. */
export async function insertWithChosenId(
  operation: Extract<OperationName, "CreateUserPool" | "CreateUserPoolClient">,
  id: string,
  insert: () => Promise<void>,
): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
    throw Errors.customIdTaken(operation === "CreateUserPool" ? POOL_ID.kind : CLIENT_ID.kind, id);
  }
}
