/**
 * Turns the New integration form into the admin use case's input, checking what only the
 * form can get wrong (a step left unanswered, an instance of another type); everything else
 * (URL safety, channel ownership) is left to `createIntegration`, as for the API.
 *
 * @module
 */
import type { ChannelType } from "../../core/domain.ts";
import type { CustomInput, WebhookInput } from "../services/admin_integrations.ts";
import type { ChannelJson } from "./admin_data.ts";
import { TYPE_LABELS } from "./views/format.ts";
import type { FieldErrors, NewFormValues } from "./views/integration_form.ts";

/** The parsed form: the input for `createIntegration`, or what to show again with errors. */
export type NewIntegrationForm =
  | { ok: true; input: WebhookInput | CustomInput; values: NewFormValues }
  | { ok: false; errors: FieldErrors; values: NewFormValues };

const MAX_NAME = 200;
const MAX_BEARER = 4096;

/**
 * Reads the form against the company's channels.
 *
 * @example
 * parseNewIntegration(new URLSearchParams("kind=webhook&scope=general&name=CRM&url=https://x"), []);
 */
export function parseNewIntegration(
  form: URLSearchParams,
  channels: ChannelJson[],
): NewIntegrationForm {
  const values = formValues(form);
  const errors: FieldErrors = {};
  const name = values.name ?? "";
  if (name === "" || name.length > MAX_NAME) errors.name = "Name: enter 1 to 200 characters.";
  if (values.kind === "webhook") return webhookInput(form, values, errors, channels);
  if (values.kind === "custom") {
    const channelId = chosenChannel(values, errors, channels);
    if (channelId === null || Object.keys(errors).length > 0) return { ok: false, errors, values };
    return { ok: true, input: { kind: "custom", name, channelId }, values };
  }
  errors.kind = "Choose what to set up: a webhook or a custom token.";
  return { ok: false, errors, values };
}

function webhookInput(
  form: URLSearchParams,
  values: NewFormValues,
  errors: FieldErrors,
  channels: ChannelJson[],
): NewIntegrationForm {
  let channelId: string | null = null;
  if (values.scope === "channel") channelId = chosenChannel(values, errors, channels);
  else if (values.scope !== "general") errors.scope = "Scope: choose General or Specific channel.";
  const url = values.url ?? "";
  if (url === "") errors.url = "URL: enter the address that receives the events.";
  const bearerToken = (form.get("bearerToken") ?? "").trim();
  if (bearerToken.length > MAX_BEARER)
    errors.bearerToken = "Bearer token: at most 4096 characters.";
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  const input: WebhookInput = {
    kind: "webhook",
    name: values.name ?? "",
    scope: channelId === null ? "general" : "channel",
    url,
    ...(channelId === null ? {} : { channelId }),
    ...(bearerToken === "" ? {} : { bearerToken }),
  };
  return { ok: true, input, values };
}

/** Seed step 3: the type, then an instance of that type. */
function chosenChannel(
  values: NewFormValues,
  errors: FieldErrors,
  channels: ChannelJson[],
): string | null {
  const type = values.type as ChannelType | undefined;
  if (type === undefined || !(type in TYPE_LABELS)) {
    errors.type = "Type: choose WhatsApp, Email or SMS.";
    return null;
  }
  const channel = channels.find((c) => c.id === values.channelId);
  if (channel === undefined) {
    errors.channelId = `Instance: choose one of your ${TYPE_LABELS[type]} channels.`;
    return null;
  }
  if (channel.type !== type) {
    errors.channelId = `Instance: “${channel.name}” is a ${TYPE_LABELS[channel.type]} channel, not ${TYPE_LABELS[type]}.`;
    return null;
  }
  return channel.id;
}

function formValues(form: URLSearchParams): NewFormValues {
  const values: NewFormValues = {};
  for (const key of ["name", "kind", "scope", "type", "channelId", "url"] as const) {
    const value = form.get(key)?.trim();
    if (value !== undefined && value !== "") values[key] = value;
  }
  return values;
}

/** Where an admin API error detail belongs on the form (`/url` → the URL field). */
export function fieldOf(path: string): keyof FieldErrors {
  const field = path.replace(/^\//, "");
  const known = ["name", "scope", "channelId", "url", "bearerToken"] as const;
  return (known as readonly string[]).includes(field) ? (field as keyof FieldErrors) : "form";
}
