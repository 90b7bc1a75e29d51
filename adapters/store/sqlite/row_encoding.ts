/**
 * How the SQLite store encodes what it writes: a table's INSERT (every column, positional),
 * a row as that INSERT's flat values, and the message and event rows as the store writes them.
 * Public for code that must write exactly the store's rows outside it: the durable floors of
 * bench/ (bench/README.md#the-durable-floors), which would otherwise drift from the real bytes.
 *
 * @example
 * ```ts
 * import { insertSql, messageValues } from "./adapters/store/sqlite/row_encoding.ts";
 * import { messages } from "./adapters/store/sqlite/schema/messages.ts";
 * db.prepare(insertSql(messages)).run(...messageValues(message));
 * ```
 *
 * @module
 */
export { historyToJson, messageValues } from "./_message_row.ts";
export { eventValues } from "./_outbox.ts";
export { insertKeys, insertSql, insertValues } from "./_statements.ts";
