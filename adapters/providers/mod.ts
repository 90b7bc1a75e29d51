/**
 * The provider adapters (docs/providers.md): the sandbox, Resend e-mail, Twilio SMS/WhatsApp and Meta
 * WhatsApp Cloud. Each real adapter takes an injected client; the `*Clients()` factories build
 * the SDK clients, cached per channel config.
 *
 * @module
 */
export { type MetaFetch, MetaWhatsAppProvider } from "./meta.ts";
export { type ResendClientFor, ResendEmailProvider, resendClients } from "./resend.ts";
export { SandboxProvider } from "./sandbox.ts";
export { type TwilioClientFor, TwilioProvider, twilioClients } from "./twilio.ts";
