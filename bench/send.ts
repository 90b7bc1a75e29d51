/**
 * `bun bench/send.ts [options]`: the send benchmark (bench/README.md#send).
 *
 * @module
 */
import "./send/main.ts";
