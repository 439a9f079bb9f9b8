/** Percentiles of a set of samples. */
export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The value at percentile `p` (0–100) of samples sorted ascending, nearest-rank.
 * `Infinity` samples (never answered) sort last, so a high percentile can be `Infinity`.
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 2
 * ```
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/**
 * p50, p90, p99 and max of samples (not sorted in place).
 *
 * @example
 * ```ts
 * distribution([5, 1, 9]).p50; // 5
 * ```
 */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  return { count: list.length, p50: percentile(list, 50), p90: percentile(list, 90), p99: percentile(list, 99), max: list.at(-1) ?? Number.NaN };
}

/**
 * A number for people: thousands separated, `digits` decimals below 100.
 *
 * @example
 * ```ts
 * fmt(12345.6); // '12,346'
 * fmt(3.14159); // '3.14'
 * ```
 */
export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : '∞';
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? Math.min(1, digits) : digits;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * Milliseconds for people (`Infinity` reads `>limit`).
 *
 * @example
 * ```ts
 * fmtMs(12.345); // '12.3 ms'
 * ```
 */
export function fmtMs(value: number): string {
  return Number.isFinite(value) ? `${fmt(value, 1)} ms` : fmt(value);
}

/**
 * Lays rows out as an aligned text table with a header line.
 *
 * @example
 * ```ts
 * console.log(table([['bench', 'value'], ['engine', '512 turns/s']]));
 * ```
 */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
