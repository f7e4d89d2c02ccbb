/** The classic hosted UI's customization: SetUICustomization, GetUICustomization (OAUTH.md §7.2). */
import { getUiCustomization, setUiCustomization } from "../domain/ui-customization.js";
import type { Handler, HandlerTable } from "./types.js";

const setUICustomization: Handler<"SetUICustomization"> = async (input, ctx) => ({
  UICustomization: await setUiCustomization(ctx.services.store, input, ctx.now, ctx.services.baseUrl),
});

const getUICustomization: Handler<"GetUICustomization"> = async (input, ctx) => ({
  UICustomization: await getUiCustomization(
    ctx.services.store,
    input.UserPoolId,
    input.ClientId,
    ctx.services.baseUrl,
  ),
});

export const uiCustomizationHandlers = {
  SetUICustomization: setUICustomization,
  GetUICustomization: getUICustomization,
} satisfies HandlerTable;
