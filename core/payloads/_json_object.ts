/**
 * Plain JSON objects: the request body itself, and SMS `metadata`, which is stored and echoed
 * in events, so it must be JSON through and through and small once serialized (docs/api.md#sending).
 *
 * @module
 */
import { type Details, describe, pointerSegment } from "./_details.ts";
import { checkClean, isCleanText } from "./_text.ts";

const encoder = new TextEncoder();

/**
 * Whether a value is an object as `JSON.parse` makes them: not an array, not a `Date`, `Map` or
 * class instance. A `"__proto__"` key from `JSON.parse` is an own property and changes nothing.
 *
 * @param value Anything.
 * @returns `true` for `{…}` and `Object.create(null)`.
 * @example
 * ```ts
 * isJsonObject(JSON.parse('{"__proto__": {}}')); // true
 * isJsonObject([]);                               // false
 * ```
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Reports every problem of a value that must be a plain JSON object of clean text (no NUL, no
 * unpaired surrogate, at any depth: Postgres `jsonb` refuses them) whose `JSON.stringify` takes
 * at most `maxBytes` bytes of UTF-8. Walks without recursion, so any depth is safe, and stops as
 * soon as the size is certainly exceeded, so any width is cheap.
 *
 * @param out Where problems go; without it, the walk stops at the first problem.
 * @param path JSON pointer of the value.
 * @param value The value as given.
 * @param maxBytes Largest serialization allowed.
 * @returns `true` when the value is fine.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkJsonObject(out, "/metadata", { orderId: 42 }, 4096); // true
 * checkJsonObject(out, "/metadata", [1], 4096); // false: must be a JSON object
 * ```
 */
export function checkJsonObject(
  out: Details | undefined,
  path: string,
  value: unknown,
  maxBytes: number,
): boolean {
  if (!isJsonObject(value)) {
    out?.invalid(path, `must be a JSON object, got ${describe(value)}`);
    return false;
  }
  let fine = true;
  // Every UTF-16 unit takes at least one UTF-8 byte, so this never exceeds the real size.
  let lowerBound = 0;
  const pending: Array<[unknown, string]> = [[value, path]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, at] = next;
    if (typeof node === "string") {
      lowerBound += node.length + 2;
      if (!isCleanText(node)) {
        fine = false;
        if (out !== undefined) checkClean(out, at, node);
      }
    } else if (typeof node === "number" && Number.isFinite(node)) {
      lowerBound += 1;
    } else if (typeof node === "boolean" || node === null) {
      lowerBound += 4;
    } else if (Array.isArray(node)) {
      lowerBound += node.length + 1;
      for (let i = node.length - 1; i >= 0 && lowerBound <= maxBytes; i--) {
        pending.push([node[i], `${at}/${i}`]);
      }
    } else if (isJsonObject(node)) {
      lowerBound += 1;
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0 && lowerBound <= maxBytes; i--) {
        const key = keys[i] ?? "";
        const child = `${at}/${pointerSegment(key)}`;
        lowerBound += key.length + 4;
        if (!isCleanText(key)) {
          fine = false;
          out?.invalid(child, "has a key with a NUL character or an unpaired surrogate");
        }
        pending.push([node[key], child]);
      }
    } else {
      fine = false;
      out?.invalid(at, `must hold only JSON values, got ${describeOdd(node)}`);
    }
    if (lowerBound > maxBytes) {
      const size = `at least ${lowerBound}`;
      out?.invalid(path, `must be at most ${maxBytes} bytes once serialized as JSON, got ${size}`);
      return false;
    }
    if (!fine && out === undefined) return false;
  }
  if (!fine) return false;
  // Safe now: at most `maxBytes` bytes means at most `maxBytes / 2` levels of nesting.
  const bytes = encoder.encode(JSON.stringify(value)).length;
  if (bytes > maxBytes) {
    out?.invalid(path, `must be at most ${maxBytes} bytes once serialized as JSON, got ${bytes}`);
    return false;
  }
  return true;
}

function describeOdd(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null) {
    const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" ? `a ${name}` : "a non-plain object";
  }
  return describe(value);
}
