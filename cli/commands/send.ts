/**
 * `sendeasy send --token T --json '{…}'` (docs/api.md#sending, README.md#admin-api-and-cli): one call to
 * `POST /api/integration/generic`, as an application would make it.
 *
 * @module
 */
import { type Command, EXIT, requiredFlag, stringFlag } from "../command.ts";
import { ApiClient } from "../http_client.ts";
import { describeFailure, formatJson } from "../output.ts";

/**
 * `send --token T --json '{…}' [--idempotency-key K]`: posts the JSON verbatim (the server, not
 * the CLI, judges it) and prints the response JSON; on an error status prints the error and the
 * body to stderr and exits 1.
 */
export const send: Command = {
  noun: "send",
  verb: null,
  summary: "send one message with an integration token; print the response JSON",
  flags: {
    token: {
      type: "string",
      required: true,
      placeholder: "se_…",
      description: "the custom integration's token",
    },
    json: {
      type: "string",
      required: true,
      placeholder: "'{…}'",
      description: "the request body, sent as given",
    },
    "idempotency-key": {
      type: "string",
      placeholder: "K",
      description: "Idempotency-Key header (≤ 255 characters)",
    },
  },
  positionals: [],
  needsAdminKey: false,
  async run(args, ctx) {
    const client = new ApiClient({
      baseUrl: ctx.baseUrl,
      bearer: requiredFlag(args, "token"),
      fetch: (url, init) => ctx.fetch(url, init),
    });
    const key = stringFlag(args, "idempotency-key");
    const result = await client.request("POST", "/api/integration/generic", {
      body: { raw: requiredFlag(args, "json") },
      headers: key === undefined ? {} : { "idempotency-key": key },
    });
    if (!result.ok) {
      for (const line of describeFailure(result)) ctx.err(line);
      if (result.code === "HTTP_ERROR" && result.text !== "") ctx.err(result.text);
      return EXIT.failure;
    }
    if (result.headers.get("idempotent-replayed") === "true") {
      ctx.err("note: replayed the first response to this Idempotency-Key; nothing was sent again");
    }
    ctx.out(formatJson(result.body));
    return EXIT.ok;
  },
};

/** The `send` command, as a list like the other nouns. */
export const sendCommands: readonly Command[] = [send];
