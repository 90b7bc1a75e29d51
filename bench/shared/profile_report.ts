/**
 * How both benches print a `bun --cpu-prof` pass: the files, the profiler's top 10, and a
 * caution — Bun 1.4.5's profiler gives idle and asynchronous time to the wrong frames (a
 * server under load showed 1.66 s of self time in a schema compiler that had run twice), so
 * a hot spot it names is a lead to confirm by timing or counting, not a measurement.
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
