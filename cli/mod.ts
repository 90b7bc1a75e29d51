/**
 * The admin CLI as a library: {@linkcode runCli} runs `sendeasy …` against any
 * {@linkcode CliContext}; `cli/main.ts` is the executable that wires it to the process.
 *
 * @module
 */
export {
  checkIdPrefix,
  type ParseOutcome,
  parseCommandArgs,
  parseConfigPairs,
  parseCount,
  parseDuration,
  parseInstant,
} from "./args.ts";
export {
  type CliContext,
  type Command,
  EXIT,
  type FlagSpec,
  type ParsedArgs,
  type UsageProblem,
} from "./command.ts";
export { type CliEnv, parseCliEnv } from "./env.ts";
export {
  ApiClient,
  type ApiClientOptions,
  type ApiErrorBody,
  type ApiFailure,
  type ApiResult,
  withQuery,
} from "./http_client.ts";
export {
  type Column,
  describeFailure,
  formatAge,
  formatAgo,
  formatDate,
  formatJson,
  formatTable,
} from "./output.ts";
export { COMMANDS, runCli, usageLine } from "./run_cli.ts";
