import { fmt, table } from './stats.ts';

/** What a baseline measured, to compare a figure with. */
export interface Baseline {
  /** What the baseline is, e.g. `raw Fastify JSON POST`. */
  name: string;
  value: number;
  unit: string;
}

/** One measured figure of a benchmark, with its baseline and their ratio. */
export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  baseline?: Baseline;
  /** `value ÷ baseline.value`, measured in the same run. */
  ratio?: number;
}

/**
 * A figure with its ratio to the baseline computed.
 *
 * @example
 * ```ts
 * const f = figure('engine', 'turns/s', 480, 'turns/s', { name: 'raw upserts/s', value: 24000, unit: 'upserts/s' });
 * f.ratio; // 0.02
 * ```
 */
export function figure(bench: string, name: string, value: number, unit: string, baseline?: Baseline): Figure {
  const ratio = baseline && baseline.value !== 0 && Number.isFinite(baseline.value) ? value / baseline.value : undefined;
  return { bench, name, value, unit, ...(baseline ? { baseline } : {}), ...(ratio !== undefined ? { ratio } : {}) };
}

const show = (value: number, unit: string): string => `${fmt(value)} ${unit}`.trim();

function ratioText(ratio: number | undefined): string {
  if (ratio === undefined) return '';
  return Number.isFinite(ratio) ? `${fmt(ratio, ratio < 0.1 ? 4 : 2)}×` : fmt(ratio);
}

/**
 * One line per figure: the value, the baseline and the ratio.
 *
 * @example
 * ```ts
 * console.log(describeFigure(f)); // 'turns/s: 480 turns/s | baseline raw upserts/s: 24,000 upserts/s | ratio 0.0200×'
 * ```
 */
export function describeFigure(f: Figure): string {
  const base = f.baseline ? ` | baseline ${f.baseline.name}: ${show(f.baseline.value, f.baseline.unit)} | ratio ${ratioText(f.ratio)}` : '';
  return `${f.name}: ${show(f.value, f.unit)}${base}`;
}

/**
 * The final summary: one row per figure.
 *
 * @example
 * ```ts
 * console.log(summaryTable(figures));
 * ```
 */
export function summaryTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.bench, f.name, show(f.value, f.unit), f.baseline ? `${show(f.baseline.value, f.baseline.unit)} (${f.baseline.name})` : '', ratioText(f.ratio),
  ]);
  return table([['bench', 'figure', 'value', 'baseline', 'ratio'], ...rows]);
}
