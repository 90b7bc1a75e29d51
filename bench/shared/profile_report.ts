/**
 * Prints a `bun --cpu-prof` pass, with the profiler's caveat
 * (bench/README.md#processes-cpu-and-profiles).
 *
 * @module
 */

/** Prints `files` (the `.cpuprofile` and its `.md` summary) under `title`. */
export async function printProfile(title: string, files: readonly string[]): Promise<void> {
  console.log(`\n${title}: ${files.join(", ")}`);
  const markdown = files.find((file) => file.endsWith(".md"));
  const top = markdown && (await Bun.file(markdown).text()).match(/^\*\*Top 10:\*\*.*$/m);
  if (top) console.log(top[0]);
  console.log(
    "(Bun's profiler misplaces idle and async time: confirm a hot spot by timing it before acting on it.)",
  );
}
