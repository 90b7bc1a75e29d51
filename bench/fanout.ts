/**
 * `bun bench/fanout.ts [options]`: the webhook fan-out benchmark (bench/README.md#fan-out).
 *
 * @module
 */
import "./fanout/main.ts";
