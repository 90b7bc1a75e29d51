import { expect, test } from "bun:test";
import { memoizeOpen } from "../../../adapters/crypto/opened_memo.ts";

test("each sealed text is opened once, and the memo starts over when full", () => {
  const opened: string[] = [];
  const open = memoizeOpen((sealed) => {
    opened.push(sealed);
    return sealed.toUpperCase();
  }, 2);
  expect(["a", "b", "a", "b"].map(open)).toEqual(["A", "B", "A", "B"]);
  expect(opened).toEqual(["a", "b"]);
  expect(open("c")).toBe("C"); // full: starts over with "c" alone
  expect(open("a")).toBe("A");
  expect(opened).toEqual(["a", "b", "c", "a"]);
});

test("a failing open is not remembered", () => {
  let calls = 0;
  const open = memoizeOpen(() => {
    calls++;
    throw new Error("altered");
  });
  expect(() => open("x")).toThrow("altered");
  expect(() => open("x")).toThrow("altered");
  expect(calls).toBe(2);
});
