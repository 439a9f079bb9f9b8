/**
 * A time as Prisma writes it on SQLite (its driver adapter's ISO text with
 * `+00:00`), for statements written in plain SQL: rows they write and
 * Prisma's read each other, and PostgreSQL reads the same text as the same
 * instant.
 *
 * @example
 * ```ts
 * storedTime(new Date(0)); // '1970-01-01T00:00:00.000+00:00'
 * ```
 */
export function storedTime(at: Date): string {
  const ms = at.getTime();
  // A turn writes the same instant several times (its rows' times): formatted once.
  if (ms !== last.ms) last = { ms, text: at.toISOString().replace('Z', '+00:00') };
  return last.text;
}

let last = { ms: Number.NaN, text: '' };
