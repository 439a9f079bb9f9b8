import type { Logger } from 'pino';
import type { DbClient } from './db/db-client.ts';
import type { BotRuntime } from './config/bot-runtime.ts';
import type { CartService } from './cart/cart-service.ts';
import type { CatalogService } from './catalog/catalog-service.ts';
import type { DirectoryService } from './catalog/directory-service.ts';
import type { OrderService } from './orders/order-service.ts';
import type { PaymentProvider } from './payments/payment-provider.ts';

/** The time source; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

/** Id generators; tests pass predictable ones. */
export interface IdGenerator {
  /** A short, human-readable order number, e.g. `VT-7K3F9Q`. */
  orderNumber(): string;
}

/**
 * Services a step can use during one turn. Database work goes through `db`,
 * which is the transaction of the turn: if the turn fails, nothing it wrote stays.
 */
export interface Services {
  db: DbClient;
  bot: BotRuntime;
  directory: DirectoryService;
  catalog: CatalogService;
  cart: CartService;
  orders: OrderService;
  /** The bot's payment provider. */
  payments: PaymentProvider;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * Random order numbers like `VT-7K3F9Q` (no 0/O/1/I to misread).
 *
 * @example
 * ```ts
 * randomIds('SHOP').orderNumber(); // "SHOP-Q8X2MZ"
 * ```
 */
export function randomIds(prefix = 'VT'): IdGenerator {
  return {
    orderNumber() {
      const bytes = crypto.getRandomValues(new Uint8Array(6));
      return `${prefix}-${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
    },
  };
}
