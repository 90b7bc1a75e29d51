import { expect, test } from "bun:test";
import { openOncePerWebhook } from "../../../adapters/store/_open_webhooks.ts";
import { company, webhook } from "../../contracts/_delivery_fixtures.ts";

test("a claim's webhook rows are opened once per webhook id, each claim row getting its webhook", () => {
  const co = company();
  const a = webhook(co.id, { url: "https://a.example.com/hook" });
  const b = webhook(co.id, { url: "https://b.example.com/hook" });
  const opened: string[] = [];
  const webhookOf = openOncePerWebhook((row: { id: string }) => {
    opened.push(row.id);
    return row.id === a.id ? a : b;
  });
  const rows = [a, b, a, a, b].map((w) => ({ id: w.id }));
  expect(rows.map((row) => webhookOf(row))).toEqual([a, b, a, a, b]);
  expect(opened).toEqual([a.id, b.id]);
});
