/**
 * `sendeasy company create|list` (SPEC.md §6, §7): tenants, operator key only.
 *
 * @module
 */
import {
  booleanFlag,
  COMPANY_FLAG,
  type Command,
  EXIT,
  JSON_FLAG,
  requiredFlag,
} from "../command.ts";
import { formatDate, formatJson, formatTable } from "../output.ts";
import { adminApi, cell, fail, postCreation, printIdAndSecret, records } from "./_api.ts";

/**
 * `company create --name N`: prints the company id, then its admin key alone on the last line
 * (shown once, SPEC.md §6).
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
    if (booleanFlag(args, "json")) {
      ctx.out(formatJson(result.items));
      return EXIT.ok;
    }
    const table = formatTable(
      [
        { header: "ID", value: (row) => cell(row.id) },
        { header: "NAME", value: (row) => cell(row.name) },
        { header: "CREATED", value: (row) => formatDate(row.createdAt) },
      ],
      records(result.items),
    );
    for (const line of table) ctx.out(line);
    return EXIT.ok;
  },
};

/** Every `company` command. */
export const companyCommands: readonly Command[] = [companyCreate, companyList];
