/** Terms documents: create, describe, update, delete, list (OAUTH.md §7.3). */
import { createTerms, deleteTerms, describeTerms, listTerms, updateTerms } from "../domain/terms.js";
import type { Handler, HandlerTable } from "./types.js";

const createTermsHandler: Handler<"CreateTerms"> = async (input, ctx) => ({
  Terms: await createTerms(ctx.services.store, input, ctx.now),
});

const describeTermsHandler: Handler<"DescribeTerms"> = async (input, ctx) => ({
  Terms: await describeTerms(ctx.services.store, input.UserPoolId, input.TermsId),
});

const updateTermsHandler: Handler<"UpdateTerms"> = async (input, ctx) => ({
  Terms: await updateTerms(ctx.services.store, input, ctx.now),
});

const deleteTermsHandler: Handler<"DeleteTerms"> = async (input, ctx) => {
  await deleteTerms(ctx.services.store, input.UserPoolId, input.TermsId);
  return {};
};

const listTermsHandler: Handler<"ListTerms"> = async (input, ctx) =>
  listTerms(ctx.services.store, input.UserPoolId, input.MaxResults, input.NextToken);

export const termsHandlers = {
  CreateTerms: createTermsHandler,
  DescribeTerms: describeTermsHandler,
  UpdateTerms: updateTermsHandler,
  DeleteTerms: deleteTermsHandler,
  ListTerms: listTermsHandler,
} satisfies HandlerTable;
