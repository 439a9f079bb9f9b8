/** One judged query: what a customer typed, the good answers and the answers that must not show. */
export interface Judged {
  q: string;
  relevant: string[];
  mustNot?: string[];
}

/** How a search did over a set of judged queries. */
export interface Scores {
  queries: number;
  /** Mean reciprocal rank of the first good answer in the top 3 (queries with good answers). */
  mrr: number;
  /** Share of the good answers in the top 3, out of at most 3 (queries with good answers). */
  recall: number;
  /** Share of the top 3 that are good answers, out of as many as there are good answers, at most 3. */
  precision: number;
  /** Answers that must not show but did, as `query → answer`. */
  forbidden: string[];
  /** Queries whose first good answer was not first, for the failure message. */
  misses: string[];
}

const TOP = 3;

/**
 * Runs every judged query through `search` and scores the top 3.
 *
 * @example
 * ```ts
 * const scores = await judge([{ q: 'padaria', relevant: ['padaria-sao-jorge'] }], async (q) => ['padaria-sao-jorge']);
 * scores.mrr; // 1
 * ```
 */
export async function judge<Q extends Judged>(queries: readonly Q[], search: (q: string, query: Q) => Promise<string[]>): Promise<Scores> {
  let mrr = 0;
  let recall = 0;
  let precision = 0;
  let judged = 0;
  const forbidden: string[] = [];
  const misses: string[] = [];
  for (const query of queries) {
    const top = (await search(query.q, query)).slice(0, TOP);
    for (const bad of query.mustNot ?? []) if (top.includes(bad)) forbidden.push(`${query.q} → ${bad}`);
    if (query.relevant.length === 0) {
      if (top.length > 0 && (query.mustNot ?? []).length === 0) forbidden.push(`${query.q} → ${top.join(', ')}`);
      continue;
    }
    judged++;
    const good = new Set(query.relevant);
    const rank = top.findIndex((answer) => good.has(answer));
    mrr += rank < 0 ? 0 : 1 / (rank + 1);
    const hits = top.filter((answer) => good.has(answer)).length;
    const expected = Math.min(TOP, good.size);
    recall += hits / expected;
    precision += Math.min(1, hits / expected);
    if (rank !== 0) misses.push(`${query.q} → ${top.join(', ') || 'nothing'}`);
  }
  const mean = (sum: number) => (judged === 0 ? 1 : sum / judged);
  return { queries: queries.length, mrr: mean(mrr), recall: mean(recall), precision: mean(precision), forbidden, misses };
}
