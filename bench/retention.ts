/**
 * `bun bench/retention.ts [--messages N]`: what retention costs the writer
 * (bench/README.md#retention).
 *
 * @module
 */
import "./retention/main.ts";
