import type { MultiBar, SingleBar } from 'cli-progress';
import type { LoadProgress, OnLoadProgress } from '../engine/config/load-progress.ts';
import { progressBars, type ProgressBarOptions } from './progress-bar.ts';

/** Phases smaller than this show nothing: the demo bots load in a blink. */
const SHOWN_FROM = 1_000;

/**
 * Shows a long load of bots as progress bars on standard error, one per phase
 * (files parsed, businesses, products), or as plain lines every few seconds
 * when that is not a terminal. Phases of fewer than a thousand items show nothing.
 *
 * @example
 * ```ts
 * const display = new LoadProgressDisplay();
 * const bot = await loadBot(dir, { onProgress: display.onProgress });
 * await seedBot(db, bot, display.onProgress);
 * display.stop();
 * ```
 */
export class LoadProgressDisplay {
  private bars: MultiBar | undefined;
  private readonly phases = new Map<LoadProgress['phase'], SingleBar>();

  constructor(private readonly options: ProgressBarOptions & { shownFrom?: number } = {}) {}

  /** Receives the reports of `loadBot` and `seedBot`. */
  readonly onProgress: OnLoadProgress = ({ phase, done, total }) => {
    if (total < (this.options.shownFrom ?? SHOWN_FROM)) return;
    this.bars ??= progressBars('{phase} [{bar}] {value}/{total}', { plainLines: true, ...this.options });
    const bar = this.phases.get(phase);
    if (!bar) this.phases.set(phase, this.bars.create(total, done, { phase: phase.padEnd(12) }));
    else {
      if (bar.getTotal() !== total) bar.setTotal(total);
      bar.update(done);
    }
  };

  /** Draws the bars' last state and stops; the next report starts new ones. */
  stop(): void {
    this.bars?.stop();
    this.bars = undefined;
    this.phases.clear();
  }
}
