/**
 * The id factory type the services share (built once in the composition root).
 *
 * @module
 */
import type { createIdFactory } from "../../core/ids.ts";

export type IdFactory = ReturnType<typeof createIdFactory>;
