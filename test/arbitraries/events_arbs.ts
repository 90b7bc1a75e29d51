/**
 * Arbitraries for channels (with secret-laden config) and the messages sent or received on
 * them, with payloads that mix known fields, wrongly typed fields and unknown ones.
 *
 * @module
 */
import fc from "fast-check";
import {
  CHANNEL_TYPES,
  type Channel,
  type ChannelType,
  type Message,
  type MessageStatus,
  type ProviderName,
} from "../../core/domain.ts";

const STATUSES: MessageStatus[] = ["queued", "sent", "delivered", "read", "failed", "received"];
const PROVIDERS: ProviderName[] = ["sandbox", "resend", "twilio", "meta", "smtp"];

const dateArb = fc.date({
  min: new Date(Date.UTC(1970, 0, 1)),
  max: new Date(Date.UTC(2100, 0, 1)),
  noInvalidDate: true,
});

/** A provider secret: long and random enough never to appear by chance elsewhere. */
export const secretArb: fc.Arbitrary<string> = fc
  .stringMatching(/^[A-Za-z0-9]{24,40}$/)
  .map((body) => `sk_${body}`);

/** A channel `config` full of secrets. */
export const configArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.stringMatching(/^[a-zA-Z]{1,12}$/),
  secretArb,
  { minKeys: 1, maxKeys: 6 },
);

/** A channel of any type, with secrets in its config. */
export const channelArb: fc.Arbitrary<Channel> = fc.record({
  id: fc.stringMatching(/^ch_[0-9A-Z]{6}$/),
  companyId: fc.stringMatching(/^co_[0-9A-Z]{6}$/),
  type: fc.constantFrom(...CHANNEL_TYPES),
  provider: fc.constantFrom(...PROVIDERS),
  name: fc.string({ maxLength: 20 }),
  address: fc.oneof(fc.stringMatching(/^\+[1-9][0-9]{7,14}$/), fc.emailAddress()),
  config: configArb,
  credits: fc.option(fc.nat(), { nil: null }),
  createdAt: dateArb,
  deletedAt: fc.constant(null),
});

const utmUrlArb = fc
  .tuple(
    fc.webUrl({ withQueryParameters: false }),
    fc.array(
      fc.tuple(
        fc.constantFrom("utm_source", "utm_medium", "utm_campaign", "ref", "q"),
        fc.stringMatching(/^[a-z0-9]{0,8}$/),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([url, params]) => {
    const parsed = new URL(url);
    for (const [key, value] of params) parsed.searchParams.append(key, value);
    return parsed.href;
  });

const strings = fc.array(fc.webUrl(), { maxLength: 3 });
/** An attachment's bytes in base64: they must never reach a receiver. */
export const ATTACHMENT_CONTENT = "U0VDUkVULUFUVEFDSE1FTlQtQllURVM=";
const oneOrMany = fc.oneof(fc.emailAddress(), fc.array(fc.emailAddress(), { maxLength: 3 }));
/** Values of the wrong type, which publicMessage() must drop rather than pass on. */
const junk = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { minLength: 1 }),
);

const PAYLOADS: Record<ChannelType, fc.Arbitrary<Record<string, unknown>>> = {
  whatsapp: fc.record(
    {
      number: fc.stringMatching(/^[1-9][0-9]{7,14}$/),
      message: fc.string({ minLength: 1 }),
      name: fc.oneof(fc.string(), junk),
      email: fc.emailAddress(),
      url: fc.oneof(utmUrlArb, junk),
      files: fc.oneof(strings, junk),
      sector: fc.string({ maxLength: 8 }),
      text: fc.string(),
      internalNote: fc.string(),
    },
    { requiredKeys: ["number", "message"] },
  ),
  email: fc.record(
    {
      to: oneOrMany,
      subject: fc.string({ minLength: 1 }),
      body: fc.string(),
      html: fc.string(),
      text: fc.string(),
      cc: fc.oneof(oneOrMany, junk),
      bcc: fc.oneof(oneOrMany, junk),
      replyTo: fc.oneof(oneOrMany, junk),
      headers: fc.oneof(fc.dictionary(fc.stringMatching(/^X-[A-Za-z]{1,8}$/), fc.string()), junk),
      tags: fc.oneof(
        fc.array(fc.record({ name: fc.string(), value: fc.oneof(fc.string(), junk) })),
        junk,
      ),
      attachments: fc.oneof(
        fc.array(
          fc.record(
            {
              filename: fc.oneof(fc.string(), junk),
              contentType: fc.constant("application/pdf"),
              contentId: fc.string(),
              url: fc.webUrl(),
              content: fc.constant(ATTACHMENT_CONTENT),
            },
            { requiredKeys: ["filename"] },
          ),
        ),
        junk,
      ),
      fromName: fc.string(),
      inReplyTo: fc.constant("<a@b.test>"),
      references: fc.oneof(fc.constant("<a@b.test>"), fc.constant(["<a@b.test>", "<c@d.test>"])),
      sector: fc.string(),
    },
    { requiredKeys: ["to", "subject"] },
  ),
  sms: fc.record(
    {
      to: fc.stringMatching(/^\+[1-9][0-9]{7,14}$/),
      body: fc.string({ minLength: 1 }),
      mediaUrls: fc.oneof(strings, junk),
      metadata: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
        junk,
      ),
      message: fc.string(),
      url: fc.webUrl(),
    },
    { requiredKeys: ["to", "body"] },
  ),
};

/** A message on `channel`, in any status, with a payload of the channel's type. */
export function messageArb(channel: Channel): fc.Arbitrary<Message> {
  return fc.record({
    id: fc.stringMatching(/^msg_[0-9A-Z]{6}$/),
    companyId: fc.constant(channel.companyId),
    channelId: fc.constant(channel.id),
    channelType: fc.constant(channel.type),
    direction: fc.constantFrom("outbound" as const, "inbound" as const),
    integrationId: fc.option(fc.constant("int_1"), { nil: null }),
    status: fc.constantFrom(...STATUSES),
    provider: fc.constant(channel.provider),
    providerMessageId: fc.option(fc.string({ minLength: 1 }), { nil: null }),
    to: fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
    from: fc.string(),
    payload: PAYLOADS[channel.type],
    segments: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    credits: fc.nat({ max: 50 }),
    error: fc.option(fc.record({ code: fc.string(), message: fc.string() }), { nil: null }),
    history: fc.array(
      fc.record(
        { status: fc.constantFrom(...STATUSES), at: dateArb, reason: fc.string() },
        { requiredKeys: ["status", "at"] },
      ),
      { maxLength: 4 },
    ),
    createdAt: dateArb,
    updatedAt: dateArb,
  });
}

/** A channel and a message on it. */
export const channelWithMessageArb: fc.Arbitrary<{ channel: Channel; message: Message }> =
  channelArb.chain((channel) => messageArb(channel).map((message) => ({ channel, message })));
