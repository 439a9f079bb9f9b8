import { v7 } from 'uuid';

/**
 * A new row id written by plain SQL: a UUID of version 7, whose first bits
 * are the time it was made. Rows made one after another get ids that sort
 * one after another, so an index on them (the table's key, and every index
 * that leads with a customer's or conversation's id) grows at its end, in
 * pages a commit writes anyway, instead of at random places, which each cost
 * a page of the write-ahead log. Prisma's own `cuid()` ids are time-ordered
 * the same way.
 *
 * @example
 * ```ts
 * rowId(); // '01a24884-21e9-74ab-95b4-a90b71823439'
 * ```
 */
export const rowId = (): string => v7();
