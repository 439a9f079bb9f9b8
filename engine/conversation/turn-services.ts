import type { Logger } from 'pino';
import type { LoadedBot } from '../config/load-bot.ts';
import type { DbClient } from '../db/db-client.ts';
import { createCartService } from '../cart/cart-service.ts';
import { createCatalogService } from '../catalog/catalog-service.ts';
import { createDirectoryService, DirectoryIndexCache, type DirectoryChecks } from '../catalog/directory-service.ts';
import type { SearchBackendFactory } from '../catalog/search-backend.ts';
import { createOrderService, type ScheduleEvent } from '../orders/order-service.ts';
import { recordOnlyPaymentProvider, type PaymentProvider } from '../payments/payment-provider.ts';
import { randomIds, type Clock, type IdGenerator, type Services } from '../services.ts';

/** What {@link createTurnServices} shares between turns. */
export interface TurnServicesDeps {
  providers: ReadonlyMap<string, PaymentProvider>;
  clock: Clock;
  logger: Logger;
  /** Order numbers; by default random, prefixed with each bot's `orderPrefix`. */
  ids?: IdGenerator;
  /** Words a directory search ignores (the locales' `words.stop`). */
  stopWords?: readonly string[];
  /** Where searches find their candidates; by default the database's own indexes. */
  search?: SearchBackendFactory;
}

/** Makes one turn's services (see {@link createTurnServices}). */
export type TurnServicesFactory = (tx: DbClient, bot: LoadedBot, logger: Logger, schedule: ScheduleEvent) => Services;

/**
 * Makes the services of one turn: every one works in the turn's transaction,
 * and work that needs the network is scheduled for after the commit. The
 * directory cache is shared between turns, and its change stamps are checked
 * once per transaction (`tx` must be a transaction's client, never the
 * database's own).
 *
 * @example
 * ```ts
 * const servicesFor = createTurnServices({ providers, clock, logger });
 * const services = servicesFor(tx, bot, log, (event) => later.push(event));
 * ```
 */
export function createTurnServices(deps: TurnServicesDeps): TurnServicesFactory {
  const directoryCache = new DirectoryIndexCache();
  // The turns of one transaction check the directory's change stamps once (see DirectoryChecks).
  const checksOf = new WeakMap<DbClient, DirectoryChecks>();
  const idsByBot = new Map<string, IdGenerator>();
  return (tx, bot, logger, schedule) => {
    let checks = checksOf.get(tx);
    if (!checks) {
      checks = new Map();
      checksOf.set(tx, checks);
    }
    const cart = createCartService(tx);
    const payments = deps.providers.get(bot.runtime.paymentProvider) ?? recordOnlyPaymentProvider;
    let ids = deps.ids ?? idsByBot.get(bot.runtime.orderPrefix);
    if (!ids) {
      ids = randomIds(bot.runtime.orderPrefix);
      idsByBot.set(bot.runtime.orderPrefix, ids);
    }
    return {
      db: tx, bot: bot.runtime, cart, payments, clock: deps.clock, ids, logger,
      directory: createDirectoryService(tx, directoryCache, { stopWords: deps.stopWords ?? [], checks, ...(deps.search ? { search: deps.search } : {}) }),
      catalog: createCatalogService(tx, deps.search ? { search: deps.search } : {}),
      orders: createOrderService({ db: tx, cart, payments, ids, schedule, clock: deps.clock }),
    };
  };
}
