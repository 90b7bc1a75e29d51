/**
 * A writer thread that dies on its first batch, for the crash tests of the SQLite writer: the
 * path it is asked to open says how (`throw`: an uncaught error; `exit`: `process.exit(1)`).
 */
declare const self: Worker;

export {};

let mode = "throw";
self.onmessage = (event: MessageEvent<{ type: string; path?: string }>) => {
  if (event.data.type === "open") {
    mode = event.data.path ?? mode;
    return;
  }
  if (event.data.type !== "batch") return;
  if (mode === "exit") process.exit(1);
  throw new Error("writer thread crashed on purpose");
};
