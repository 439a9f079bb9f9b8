/**
 * Reply counts per message of a script, measured one customer at a time on an
 * idle server. Several customers are measured; when they disagree the first
 * one's counts are kept and the disagreement is returned, to be printed.
 *
 * @example
 * ```ts
 * const { counts, disagreements } = await calibrate(2, (customer) => measureOneCustomer(customer));
 * ```
 */
export async function calibrate(
  customers: number,
  measure: (customer: number) => Promise<number[]>,
): Promise<{ counts: number[]; disagreements: string[] }> {
  const runs = await Promise.all(Array.from({ length: customers }, (_, i) => measure(i)));
  const counts = runs[0] ?? [];
  const disagreements = runs.slice(1)
    .map((run, i) => (run.join(',') === counts.join(',') ? '' : `calibration customer ${i + 1} got [${run.join(', ')}], customer 0 got [${counts.join(', ')}]`))
    .filter((d) => d !== '');
  const silent = counts.map((n, i) => (n === 0 ? i : -1)).filter((i) => i >= 0);
  if (silent.length > 0) disagreements.push(`no reply at all to script step(s) ${silent.join(', ')} (counted as 1 expected reply)`);
  return { counts: counts.map((n) => Math.max(1, n)), disagreements };
}

/**
 * Reply counts for step `step` of a script that repeats from its start.
 *
 * @example
 * ```ts
 * expectedAt([2, 1, 2], 4); // 1
 * ```
 */
export function expectedAt(counts: readonly number[], step: number): number {
  return counts[step % Math.max(1, counts.length)] ?? 1;
}
