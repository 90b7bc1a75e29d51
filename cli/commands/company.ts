/**
 * `sendeasy company create|list|key rotate`: tenants (operator key only) and their admin keys.
 *
 * @module
 */

import type { CompanyView } from "../../server/schemas/admin_views.ts";
import { checkIdPrefix } from "../args.ts";
import {
  booleanFlag,
  COMPANY_FLAG,
  type Command,
  EXIT,
  JSON_FLAG,
  requiredFlag,
  usage,
} from "../command.ts";
import { formatDate, formatJson } from "../output.ts";
import {
  adminApi,
  cell,
  fail,
  postCreation,
  printIdAndSecret,
  printRows,
  readString,
  rowsOf,
  unexpected,
} from "./_api.ts";

/**
 * `company create --name N`: prints the company id, then its admin key alone on the last line
 * (shown once, docs/api.md#admin-api).
 */
export const companyCreate: Command = {
  noun: "company",
  verb: "create",
  summary: "create a company and print its id, then its admin key (shown once)",
  flags: {
    name: { type: "string", required: true, placeholder: "N", description: "company name" },
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const json = { name: requiredFlag(args, "name") };
    const created = await postCreation(ctx, args, { path: "/api/admin/companies", json });
    if ("exit" in created) return created.exit;
    return printIdAndSecret(ctx, created.body, {
      id: ["company", "id"],
      secret: ["adminKey"],
      note: "note: the admin key above is shown only once; store it now",
    });
  },
};

/** `company list [--json]`: every company, as a table or a JSON array. */
export const companyList: Command = {
  noun: "company",
  verb: "list",
  summary: "list companies",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const result = await adminApi(ctx, args).listAll("/api/admin/companies");
    if (!result.ok) return fail(ctx, result);
    printRows(
      ctx,
      args,
      [
        { header: "ID", value: (row) => cell(row.id) },
        { header: "NAME", value: (row) => cell(row.name) },
        { header: "CREATED", value: (row) => formatDate(row.createdAt) },
      ],
      rowsOf<CompanyView>(result.items),
    );
    return EXIT.ok;
  },
};

/**
 * `company key rotate [co_…]`: a new admin key for the company named (operator key), or for
 * the key in `SENDEASY_ADMIN_KEY` itself; the old key is refused from the next request on.
 * Prints the new key alone on stdout.
 */
export const companyKeyRotate: Command = {
  noun: "company",
  verb: "key rotate",
  summary: "replace an admin key (the old one stops working now); print the new one",
  flags: { json: JSON_FLAG },
  positionals: [
    {
      name: "co_…",
      description: "the company whose key the operator rotates; without it, your own key",
      optional: true,
    },
  ],
  needsAdminKey: true,
  async run(args, ctx) {
    const companyId = args.positionals[0];
    if (companyId !== undefined) {
      const problem = checkIdPrefix(companyId, "co_", "company");
      if (problem !== null) return usage(problem);
    }
    const path =
      companyId === undefined
        ? "/api/admin/keys/rotate"
        : `/api/admin/companies/${encodeURIComponent(companyId)}/keys/rotate`;
    const result = await adminApi(ctx, args).request("POST", path, {});
    if (!result.ok) return fail(ctx, result);
    if (booleanFlag(args, "json")) {
      ctx.out(formatJson(result.body));
      return EXIT.ok;
    }
    const adminKey = readString(result.body, ["adminKey"]);
    if (adminKey === null) return unexpected(ctx, "no adminKey");
    ctx.out(adminKey);
    ctx.err("note: the admin key above is shown only once; the old one no longer works");
    return EXIT.ok;
  },
};

/** Every `company` command. */
export const companyCommands: readonly Command[] = [companyCreate, companyList, companyKeyRotate];
