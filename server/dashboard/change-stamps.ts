import type { Logger } from 'pino';
import type { DbClient } from '../../engine/db/db-client.ts';
import { plainQuery } from '../../engine/db/plain-query.ts';
import { conversationStamp } from '../../engine/handoff/staff-desk.ts';

/** What the staff dashboard's live channel watches: a business's orders and its conversations handed to a person. */
export type StampPart = 'orders' | 'conversations';

/** Reads one part's change stamp of a business: a short text that changes whenever that part changes. */
export type StampSource = (db: DbClient, businessId: string) => Promise<string>;

const ORDER_STAMP_SQL = 'SELECT COUNT(*) AS "orders", MAX("updatedAt") AS "latest" FROM "Order" WHERE "businessId" = $1';

/**
 * A business's orders' change stamp: how many there are and when the latest
 * changed, read from the `(businessId, updatedAt)` index only. Any process
 * that writes an order (a payment webhook on another instance, the orders
 * CLI) changes it.
 *
 * @example
 * ```ts
 * await orderStamp(db, businessId); // '3|2026-12-05T10:00:00.000Z'
 * ```
 */
export async function orderStamp(db: DbClient, businessId: string): Promise<string> {
  const [row] = await plainQuery<{ orders: unknown; latest: unknown }>(db, ORDER_STAMP_SQL, [businessId]);
  const latest = row?.latest instanceof Date ? row.latest.toISOString() : String(row?.latest ?? '');
  return `${Number(row?.orders ?? 0)}|${latest}`;
}

/**
 * The one place where a business's change stamp is composed: each part the
 * live channel tells the page about, with where its stamp comes from.
 */
export const STAMP_SOURCES: Partial<Record<StampPart, StampSource>> = {
  orders: orderStamp,
  conversations: conversationStamp,
};

/** A business's stamps, part by part. */
export type Stamps = Partial<Record<StampPart, string>>;

/** Reads every stamp of {@link STAMP_SOURCES} (or of `sources`) for a business. */
export async function readStamps(db: DbClient, businessId: string, sources: Partial<Record<StampPart, StampSource>> = STAMP_SOURCES): Promise<Stamps> {
  const stamps: Stamps = {};
  for (const [part, source] of Object.entries(sources) as [StampPart, StampSource][]) stamps[part] = await source(db, businessId);
  return stamps;
}

/** The parts whose stamp differs between two readings. */
export function changedParts(before: Stamps, after: Stamps): StampPart[] {
  return (Object.keys(after) as StampPart[]).filter((part) => before[part] !== after[part]);
}

/** Called with the parts of a business that changed. */
export type ChangeListener = (parts: StampPart[]) => void;

/** Options of {@link ChangeWatcher}. */
export interface ChangeWatcherOptions {
  db: DbClient;
  logger: Logger;
  /** How often the stamps of watched businesses are read (default 1000 ms). */
  intervalMs?: number;
  sources?: Partial<Record<StampPart, StampSource>>;
}

/**
 * Watches the change stamps of the businesses someone is watching: once per
 * interval, one stamp reading per watched business (however many pages watch
 * it), and each listener hears of the parts that changed. Nothing runs while
 * nobody watches. A failed reading is logged and tried again next time.
 *
 * @example
 * ```ts
 * const watcher = new ChangeWatcher({ db, logger });
 * const stop = watcher.watch(businessId, (parts) => socket.send(JSON.stringify({ type: 'changed', parts })));
 * ```
 */
export class ChangeWatcher {
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private readonly last = new Map<string, Stamps>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly options: ChangeWatcherOptions) {}

  /**
   * Starts telling `listener` of `businessId`'s changes, from the stamps read
   * now on (read them before the page reads what it shows, and no change is
   * missed); returns the function that stops it.
   */
  async watch(businessId: string, listener: ChangeListener): Promise<() => void> {
    if (!this.last.has(businessId)) this.last.set(businessId, await readStamps(this.options.db, businessId, this.options.sources));
    let set = this.listeners.get(businessId);
    if (!set) {
      set = new Set();
      this.listeners.set(businessId, set);
    }
    set.add(listener);
    this.timer ??= setInterval(() => void this.tick(), this.options.intervalMs ?? 1000);
    return () => this.unwatch(businessId, listener);
  }

  /** Stops every reading. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private unwatch(businessId: string, listener: ChangeListener): void {
    const set = this.listeners.get(businessId);
    set?.delete(listener);
    if (set?.size === 0) {
      this.listeners.delete(businessId);
      this.last.delete(businessId);
    }
    if (this.listeners.size === 0) this.close();
  }

  /** Reads the stamps of every watched business once and tells the listeners of those that changed. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const [businessId, set] of this.listeners) {
        const now = await readStamps(this.options.db, businessId, this.options.sources);
        const before = this.last.get(businessId);
        this.last.set(businessId, now);
        const parts = before ? changedParts(before, now) : [];
        if (parts.length > 0) for (const listener of set) listener(parts);
      }
    } catch (err) {
      this.options.logger.warn({ err }, 'dashboard change stamps not read');
    } finally {
      this.busy = false;
    }
  }
}
