import { join } from 'node:path';
import type { Config } from '../../config.js';
import { checkManifest, findSlugClashes, slugFromPath } from '../../manifest/index.js';
import { formatLocation } from '../../manifest/location.js';
import type { ManifestProblem } from '../../manifest/types.js';
import { readWorktreeManifests } from '../../worktree/readWorktreeManifests.js';
import { ExitCode } from '../exitCodes.js';
import { cliIo } from '../io.js';
import { printJson, printLines } from '../output.js';

/** What validating some paths found: every problem, and how many files were checked. */
export interface ValidationReport {
  ok: boolean;
  files: number;
  problems: ManifestProblem[];
}

/** Validates manifests in the working tree, one file after another; pure apart from reading them. */
export async function validatePaths(
  paths: readonly string[],
  cwd: string,
): Promise<ValidationReport> {
  const problems: ManifestProblem[] = [];
  const slugs: { file: string; slug: string }[] = [];
  let files = 0;
  for await (const entry of readWorktreeManifests(paths, cwd)) {
    files++;
    if ('problem' in entry) {
      problems.push(entry.problem);
      continue;
    }
    const result = checkManifest(entry.text, {
      file: entry.file,
      expectedSlug: slugFromPath(entry.file),
    });
    if (result.ok) slugs.push({ file: entry.file, slug: result.manifest.slug });
    else problems.push(...result.errors);
  }
  problems.push(...findSlugClashes(slugs));
  return { ok: problems.length === 0, files, problems };
}

/** `file:line:column: pointer: message [code]`, the form editors and CI annotate. */
export function formatProblem(problem: ManifestProblem): string {
  const where = formatLocation(problem);
  const revision = problem.revision ? ` (at ${problem.revision.slice(0, 10)})` : '';
  return `${where}${revision}: ${problem.pointer || '/'}: ${problem.message} [${problem.code}]`;
}

function print(report: ValidationReport, json: boolean): void {
  if (json) {
    printJson(report);
    return;
  }
  const summary = report.ok
    ? `${report.files} manifest${report.files === 1 ? '' : 's'} valid`
    : `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${new Set(report.problems.map((p) => p.file)).size} of ${report.files} files`;
  printLines([...report.problems.map(formatProblem), summary]);
}

/** `manifest-sync validate [PATH...] [--watch]`. */
export async function validateCommand(
  config: Config,
  options: { watch?: boolean },
  args: string[],
): Promise<number> {
  const paths = args.length > 0 ? args : [join(config.repo, config.path)];
  const cwd = cliIo().cwd;
  const report = await validatePaths(paths, cwd);
  print(report, config.json);
  if (!options.watch) return report.ok ? ExitCode.ok : ExitCode.problems;
  const { watchAndValidate } = await import('./validateWatch.js');
  await watchAndValidate(paths, cwd, async () =>
    print(await validatePaths(paths, cwd), config.json),
  );
  return ExitCode.ok;
}
