import type { Logger } from 'pino';
import type { Db, Engine, I18n, InboundMessage, TurnResult } from '../../engine/index.ts';

/** What webhook routes need of a running Vitrine (the server's `Runtime` fits). */
export interface RouteRuntime {
  engine: Engine;
  db: Db;
  i18n: I18n;
  logger: Logger;
}

/** What routes need of the server's `Delivery`. */
export interface RouteDelivery {
  deliver(turn: TurnResult): Promise<boolean>;
}

/**
 * Remembers recently seen ids, forgetting the oldest beyond `capacity`.
 *
 * @example
 * ```ts
 * const seen = new RecentIds(1000);
 * if (seen.add('wamid.1')) handle(); // false the second time
 * ```
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Adds an id; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}
