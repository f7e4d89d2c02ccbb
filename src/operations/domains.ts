/** User pool domains: create, describe, update, delete (OAUTH.md §1). */
import {
  createDomain,
  deleteDomain,
  describeDomainNamed,
  domainChange,
  updateDomain,
} from "../domain/domains.js";
import type { Handler, HandlerTable } from "./types.js";

const createUserPoolDomain: Handler<"CreateUserPoolDomain"> = async (input, ctx) =>
  domainChange(await createDomain(ctx.services.store, input, ctx.now));

const describeUserPoolDomain: Handler<"DescribeUserPoolDomain"> = async (input, ctx) => ({
  DomainDescription: await describeDomainNamed(ctx.services.store, input.Domain),
});

const updateUserPoolDomain: Handler<"UpdateUserPoolDomain"> = async (input, ctx) =>
  domainChange(await updateDomain(ctx.services.store, input, ctx.now));

const deleteUserPoolDomain: Handler<"DeleteUserPoolDomain"> = async (input, ctx) => {
  await deleteDomain(ctx.services.store, input.UserPoolId, input.Domain);
  return {};
};

export const domainHandlers = {
  CreateUserPoolDomain: createUserPoolDomain,
  DescribeUserPoolDomain: describeUserPoolDomain,
  UpdateUserPoolDomain: updateUserPoolDomain,
  DeleteUserPoolDomain: deleteUserPoolDomain,
} satisfies HandlerTable;
