/**
 * Whether a database error is a unique-constraint violation (Prisma's `P2002`,
 * the same code on SQLite and PostgreSQL): the row was already there.
 *
 * @example
 * ```ts
 * try {
 *   await tx.inboundEvent.create({ data });
 * } catch (err) {
 *   if (!isUniqueViolation(err)) throw err;
 *   // a redelivery: read the row that is already there
 * }
 * ```
 */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
