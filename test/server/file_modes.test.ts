/**
 * The data directory is this user's only (0700) and so are its files (0600): the SQLite
 * database, its -wal and -shm files and the generated secret key — on a fresh start, and
 * after a start on a directory an older version left readable by others.
 */
import { afterAll, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../server/app.ts";
import { OPERATOR_KEY } from "../support/test_server.ts";

const root = mkdtempSync(join(tmpdir(), "sendeasy-modes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
const FILES = ["sendeasy.sqlite", "sendeasy.sqlite-wal", "sendeasy.sqlite-shm", "secret.key"];

async function startOn(dataDir: string): Promise<void> {
  const server = await startServer(
    {
      PORT: "0",
      HOST: "127.0.0.1",
      SENDEASY_DATA_DIR: dataDir,
      SENDEASY_LOG_LEVEL: "silent",
      SENDEASY_ADMIN_KEY: OPERATOR_KEY,
    },
    { print: () => undefined, worker: false },
  );
  // A write, so the -wal and -shm files exist.
  const res = await fetch(`${server.url}/api/admin/companies`, {
    method: "POST",
    headers: { authorization: `Bearer ${OPERATOR_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Acme" }),
  });
  expect(res.status).toBe(201);
  for (const file of FILES) expect(existsSync(join(dataDir, file))).toBe(true);
  expect({
    dir: mode(dataDir),
    ...Object.fromEntries(FILES.map((f) => [f, mode(join(dataDir, f))])),
  }).toEqual({
    dir: "700",
    ...Object.fromEntries(FILES.map((f) => [f, "600"])),
  });
  await server.stop();
}

test("a fresh data directory is 0700 and every file in it 0600", async () => {
  await startOn(join(root, "fresh", "data"));
});

test("a data directory left readable by others is tightened at start", async () => {
  const dataDir = join(root, "legacy");
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, "secret.key"), `${Buffer.alloc(32, 7).toString("base64")}\n`, {
    mode: 0o644,
  });
  chmodSync(join(dataDir, "secret.key"), 0o644);
  // An empty file is an empty SQLite database.
  writeFileSync(join(dataDir, "sendeasy.sqlite"), "", { mode: 0o644 });
  chmodSync(join(dataDir, "sendeasy.sqlite"), 0o644);
  await startOn(dataDir);
});
