/**
 * The shop's side of orders, from the command line.
 *
 *   npm run orders -- list --bot directory [--status paid]
 *   npm run orders -- mark <orderNumber> paid|fulfilled|shipped|cancelled|refunded
 *
 * `paid` records cash received (or a payment made elsewhere) for providers
 * whose payments the shop confirms (`record`, `cash`), or approves an order
 * held for review. Refunds go through the provider that took the payment (the
 * server's providers, built from the same environment: Stripe when
 * STRIPE_SECRET_KEY is set). The customer is told through the journal: the
 * running server sends the message (or its next start). Exit codes: 0 done,
 * 1 refused (the message says why), 2 usage.
 */
import pino from 'pino';
import { isOrderStatus, isVitrineError, ORDER_STATUSES, formatMoney, orderFulfilment, type Db, type OrderStatus } from '../engine/index.ts';
import { isShopMark, markOrder, shopMarkNotice, SHOP_MARKS, type ShopMark } from '../engine/orders/shop-marks.ts';
import { paymentProvidersFromEnv } from '../server/payments.ts';
import { createRuntime } from '../server/runtime.ts';

const USAGE = `usage: npm run orders -- list --bot <botId> [--status <status>]\n       npm run orders -- mark <orderNumber> ${SHOP_MARKS.join('|')}`;

/** The mark an argument names (`approved`, the earlier name of approving a reviewed order, is `paid`). */
function markOf(arg: string | undefined): ShopMark | undefined {
  if (arg === 'approved') return 'paid';
  return arg !== undefined && isShopMark(arg) ? arg : undefined;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * The orders of a bot, newest first, as printable lines; an order with a
 * fulfilment has a second line: how it reaches the customer, who, and the note.
 *
 * @example
 * ```ts
 * for (const line of await orderLines(db, 'directory')) console.log(line);
 * ```
 */
export async function orderLines(db: Db, botId: string, status?: OrderStatus): Promise<string[]> {
  const orders = await db.order.findMany({
    where: { conversation: { botId }, ...(status ? { status } : {}) },
    include: { business: { select: { name: true } }, customer: { select: { name: true, phone: true, channel: true } } }, orderBy: { createdAt: 'desc' }, take: 100,
  });
  return orders.flatMap((o) => {
    const line = `${o.number}  ${o.status.padEnd(16)}  ${formatMoney({ minor: o.totalMinor, currency: o.currency }, 'en').padStart(12)}  ${o.business.name}  ${o.createdAt.toISOString()}`;
    const f = orderFulfilment(o);
    if (!f) return [line];
    const who = [o.customerName ?? o.customer.name, o.customerPhone ?? o.customer.phone, o.customer.channel].filter(Boolean).join(', ');
    const where = f.method === 'delivery'
      ? [f.zone, f.address, f.location && `pin ${f.location.latitude},${f.location.longitude}`, `fee ${formatMoney({ minor: f.feeMinor, currency: o.currency }, 'en')}`].filter(Boolean).join(', ')
      : f.table ? `table ${f.table}` : '';
    return [line, `    ${f.method}${where ? `: ${where}` : ''}  ·  ${who}${f.note ? `  ·  note: ${f.note}` : ''}`];
  });
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'list' && command !== 'mark') {
    console.error(USAGE);
    return 2;
  }
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'warn' });
  const payments = paymentProvidersFromEnv(process.env, { publicUrl: process.env['PUBLIC_URL'] ?? 'http://localhost:3000', logger });
  // Only admits events: the running server turns them into messages to the customer.
  const runtime = await createRuntime({ logger, payments, engine: { workers: false } });
  try {
    if (command === 'list') {
      const botId = flag(rest, 'bot');
      if (!botId) {
        console.error(USAGE);
        return 2;
      }
      const status = flag(rest, 'status');
      if (status !== undefined && !isOrderStatus(status)) {
        console.error(`--status must be one of ${ORDER_STATUSES.join(', ')}`);
        return 2;
      }
      if ((await runtime.db.business.count({ where: { botId } })) === 0) {
        const bots = (await runtime.db.business.findMany({ distinct: ['botId'], select: { botId: true }, orderBy: { botId: 'asc' } })).map((b) => b.botId);
        console.error(`No bot ${botId} in this database.${bots.length > 0 ? ` Bots: ${bots.join(', ')}` : ''}`);
        return 1;
      }
      const lines = await orderLines(runtime.db, botId, status);
      console.log(lines.length > 0 ? lines.join('\n') : `No orders for bot ${botId}.`);
      return 0;
    }
    const [typed, arg] = rest;
    const mark = markOf(arg);
    if (typed && arg && !mark) {
      console.error(`"${arg}" is not a mark: use one of ${SHOP_MARKS.join(', ')}.`);
      return 2;
    }
    if (!typed || !mark) {
      console.error(USAGE);
      return 2;
    }
    // Order numbers are written in capitals ("CB-3QK84G"); one typed in small letters is the same order.
    const orderNumber = typed.toUpperCase();
    const result = await markOrder({ db: runtime.db, providers: payments, logger }, orderNumber, mark);
    if (!result.applied) {
      console.error(`Order ${orderNumber} is ${result.from}: it cannot be marked ${mark}. Nothing changed (the attempt is recorded).`);
      return 1;
    }
    console.log(`Order ${orderNumber}: ${result.from} → ${result.to}.${result.refundRef ? ` Refund ${result.refundRef}.` : ''}`);
    await runtime.engine.notify(result.conversationId, ...shopMarkNotice(result));
    console.log('The customer will be told in their chat (the running server sends it; if it is not running, at its next start).');
    return 0;
  } catch (err) {
    if (isVitrineError(err)) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
