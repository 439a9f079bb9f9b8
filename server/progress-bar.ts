import cliProgress from 'cli-progress';

/** Where and how a {@link progressBar} draws. */
export interface ProgressBarOptions {
  /** Default: standard error, so that what a command prints on standard output stays clean. */
  stream?: NodeJS.WriteStream;
  /** On a stream that is not a terminal, print the line every `schedule` ms (otherwise nothing). */
  plainLines?: boolean;
  /** Milliseconds between plain lines. Default 2000. */
  schedule?: number;
}

function settings(format: string, options: ProgressBarOptions): cliProgress.Options {
  return { format, stream: options.stream ?? process.stderr, noTTYOutput: options.plainLines ?? false, notTTYSchedule: options.schedule ?? 2000, hideCursor: true };
}

/**
 * A progress bar of the command-line tools (cli-progress), drawn in place on
 * a terminal; elsewhere (a log file, CI) either silent or, with `plainLines`,
 * the same line printed every few seconds.
 *
 * @example
 * ```ts
 * const bar = progressBar('reading feed.xml [{bar}] {percentage}% | {rows} rows', { plainLines: true });
 * bar.start(size, 0, { rows: 0 });
 * bar.update(read, { rows });
 * bar.stop();
 * ```
 */
export function progressBar(format: string, options: ProgressBarOptions = {}): cliProgress.SingleBar {
  return new cliProgress.SingleBar(settings(format, options), cliProgress.Presets.shades_classic);
}

/**
 * Several {@link progressBar}s drawn together, one line each (`create` adds one).
 *
 * @example
 * ```ts
 * const bars = progressBars('{phase} [{bar}] {value}/{total}', { plainLines: true });
 * const files = bars.create(10_000, 0, { phase: 'files parsed' });
 * files.update(5_000);
 * bars.stop();
 * ```
 */
export function progressBars(format: string, options: ProgressBarOptions = {}): cliProgress.MultiBar {
  return new cliProgress.MultiBar(settings(format, options), cliProgress.Presets.shades_classic);
}
