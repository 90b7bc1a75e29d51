/**
 * Preload for running openapi-typescript: it builds its output with the classic TypeScript
 * compiler API (`ts.factory`), which TypeScript 7, the project's compiler, does not have. Its
 * `import "typescript"` gets TypeScript 5 instead, installed as `typescript-5`.
 */
import { plugin } from "bun";

const typescript5 = require.resolve("typescript-5");

plugin({
  name: "typescript-5 for openapi-typescript",
  setup(build) {
    // TypeScript 7's entry point (`typescript/lib/version.cjs`) is swapped for TypeScript 5.
    build.onLoad({ filter: /[\\/]typescript[\\/]lib[\\/]version\.cjs$/ }, () => ({
      contents: `import ts from ${JSON.stringify(typescript5)}; export default ts;`,
      loader: "js",
    }));
  },
});
