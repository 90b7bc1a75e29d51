/**
 * The check a doc example's `expression; // value` line becomes (see `_doc_examples.ts`).
 */
export function __shows(actual: unknown, expected: unknown, where: string): void {
  if (Bun.deepEquals(actual, expected)) return;
  const show = (value: unknown) => Bun.inspect(value, { depth: 6 });
  throw new Error(`${where}: the example shows ${show(expected)}, the code gives ${show(actual)}`);
}
