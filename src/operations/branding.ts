/** Managed-login branding styles: create, describe (by id or client), update, delete (OAUTH.md §7.1). */
import {
  createBranding,
  deleteBranding,
  describeBranding,
  describeBrandingByClient,
  updateBranding,
} from "../domain/branding.js";
import type { Handler, HandlerTable } from "./types.js";

const createManagedLoginBranding: Handler<"CreateManagedLoginBranding"> = async (input, ctx) => ({
  ManagedLoginBranding: await createBranding(ctx.services.store, input, ctx.now),
});

const describeManagedLoginBranding: Handler<"DescribeManagedLoginBranding"> = async (input, ctx) => ({
  ManagedLoginBranding: await describeBranding(
    ctx.services.store,
    input.UserPoolId,
    input.ManagedLoginBrandingId,
    input.ReturnMergedResources ?? false,
  ),
});

const describeManagedLoginBrandingByClient: Handler<"DescribeManagedLoginBrandingByClient"> = async (
  input,
  ctx,
) => ({
  ManagedLoginBranding: await describeBrandingByClient(
    ctx.services.store,
    input.UserPoolId,
    input.ClientId,
    input.ReturnMergedResources ?? false,
  ),
});

const updateManagedLoginBranding: Handler<"UpdateManagedLoginBranding"> = async (input, ctx) => ({
  ManagedLoginBranding: await updateBranding(ctx.services.store, input, ctx.now),
});

const deleteManagedLoginBranding: Handler<"DeleteManagedLoginBranding"> = async (input, ctx) => {
  await deleteBranding(ctx.services.store, input.UserPoolId, input.ManagedLoginBrandingId);
  return {};
};

export const brandingHandlers = {
  CreateManagedLoginBranding: createManagedLoginBranding,
  DescribeManagedLoginBranding: describeManagedLoginBranding,
  DescribeManagedLoginBrandingByClient: describeManagedLoginBrandingByClient,
  UpdateManagedLoginBranding: updateManagedLoginBranding,
  DeleteManagedLoginBranding: deleteManagedLoginBranding,
} satisfies HandlerTable;
