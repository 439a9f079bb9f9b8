import { setTimeout as delay } from 'node:timers/promises';
import { describeCalls, type FakeGraphApi, type GraphCall } from '../../adapters/kit/testing/index.ts';
import { deliver, tapWebhook, textWebhook, type DeliverOptions, type Webhook } from './whatsapp-webhooks.ts';

/**
 * The server customers talk to, across restarts: `down()` before stopping it,
 * `up(url)` once the next one answers; deliveries wait in between.
 */
export class ServerSlot {
  private url: string | undefined;
  private readonly waiting: ((url: string) => void)[] = [];

  up(url: string): void {
    this.url = url;
    for (const resolve of this.waiting.splice(0)) resolve(url);
  }

  down(): void {
    this.url = undefined;
  }

  get current(): string | undefined {
    return this.url;
  }

  /** The running server's URL, once there is one. */
  whenUp(): Promise<string> {
    return this.url ? Promise.resolve(this.url) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** Every webhook delivery attempt and its answer (undefined: no answer, the server was gone). */
export class DeliveryLog {
  readonly attempts: { hook: Webhook; status: number | undefined; at: number }[] = [];
  /** The webhooks a test delivered, by wamid. */
  readonly hooks = new Map<string, Webhook>();

  private readonly onAcknowledged: (() => void)[] = [];
  private readonly onSending: { url: string; resolve: () => void }[] = [];

  /** Called as a delivery to `url` starts, before any answer. */
  sending(url: string): void {
    for (const waiter of this.onSending.filter((w) => w.url === url)) {
      this.onSending.splice(this.onSending.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /**
   * Resolves as the next delivery to `url` starts: a kill right then leaves that
   * delivery without an answer, so it is sent again elsewhere.
   */
  nextDeliveryTo(url: string): Promise<void> {
    return new Promise((resolve) => this.onSending.push({ url, resolve }));
  }

  record(hook: Webhook, status: number | undefined): void {
    this.hooks.set(hook.id, hook);
    this.attempts.push({ hook, status, at: Date.now() });
    if (status === 200) for (const resolve of this.onAcknowledged.splice(0)) resolve();
  }

  /** Resolves when the next delivery is acknowledged with 200 (its message is in the journal, its turn about to run). */
  nextAcknowledgement(): Promise<void> {
    return new Promise((resolve) => this.onAcknowledged.push(resolve));
  }

  /** Webhooks that were never acknowledged with 200. */
  unacknowledged(): Webhook[] {
    const acked = new Set(this.attempts.filter((a) => a.status === 200).map((a) => a.hook.id));
    return [...this.hooks.values()].filter((h) => !acked.has(h.id));
  }
}

/**
 * Delivers a webhook until a server acknowledges it with 200, as Meta does
 * with deliveries that got no 200: to the next server after a restart, or to
 * the same one a moment later.
 */
export async function deliverUntilAcknowledged(slot: ServerSlot, hook: Webhook, log: DeliveryLog, options: DeliverOptions = {}): Promise<void> {
  for (let attempt = 1; attempt <= 100; attempt++) {
    const url = await slot.whenUp();
    const answer = deliver(url, hook, options);
    log.sending(url);
    const status = await answer;
    log.record(hook, status);
    if (status === 200) return;
    // Meta's own retry delay, shortened; a restart in between sends it to the next server.
    if (slot.current === url) await delay(50);
  }
  throw new Error(`webhook ${hook.id} from ${hook.from} was never acknowledged`);
}

/** An option of the last interactive message among `calls`, found by its title. */
export function optionTitled(calls: readonly GraphCall[], title: string): { id: string; title: string; kind: 'button' | 'list' } {
  const interactive = calls.map((c) => c.message.interactive).filter((i) => i !== undefined).at(-1);
  const button = interactive?.action.buttons?.find((b) => b.reply.title === title);
  if (button) return { id: button.reply.id, title, kind: 'button' };
  const row = interactive?.action.sections?.flatMap((s) => s.rows).find((r) => r.title === title);
  if (row) return { id: row.id, title, kind: 'list' };
  throw new Error(`no option "${title}" in ${JSON.stringify(interactive)}`);
}

/** One thing a customer does, and the reply that tells it was answered. */
export interface ShopperStep {
  name: string;
  /** Taps the option with this title in the last interactive reply, or types `text`. */
  tap?: string;
  text?: string;
  /** True for the reply that ends this step's answer. */
  answered(call: GraphCall): boolean;
}

const interactiveWith = (title: string) => (c: GraphCall): boolean => {
  const action = c.message.interactive?.action;
  return Boolean(action?.buttons?.some((b) => b.reply.title === title) || action?.sections?.some((s) => s.rows.some((r) => r.title === title)));
};
const textIncluding = (part: string) => (c: GraphCall): boolean => (c.message.text?.body ?? '').includes(part);
/** A payment link (a call-to-action button) whose text includes `part`. */
const paymentLinkSaying = (part: string) => (c: GraphCall): boolean => c.message.interactive?.type === 'cta_url' && c.message.interactive.body.text.includes(part);

/** Search, pick the bakery: 5 replies (welcome, question, results; shop welcome, categories). */
export const FIND_THE_BAKERY: ShopperStep[] = [
  { name: 'search', text: 'padaria', answered: interactiveWith('Padaria São Jorge') },
  { name: 'pick the shop', tap: 'Padaria São Jorge', answered: interactiveWith('Pães') },
];

/** A purchase of 2 × Pão francês (R$1.80) at Padaria São Jorge: 7 messages, 14 replies. */
export const BUY_BREAD: ShopperStep[] = [
  ...FIND_THE_BAKERY,
  { name: 'open a category', tap: 'Pães', answered: interactiveWith('Pão francês') },
  { name: 'open a product', tap: 'Pão francês', answered: interactiveWith('Add 1') },
  { name: 'add 2', text: '2', answered: textIncluding('Added 2 × Pão francês') },
  { name: 'open the cart', text: 'cart', answered: interactiveWith('Check out') },
  // The directory takes test payments: checkout ends with the sandbox's payment link.
  { name: 'check out', tap: 'Check out', answered: paymentLinkSaying('TEST payment — no money moves') },
];

/** Options of {@link runShopper}. */
export interface ShopperOptions {
  from: string;
  steps: readonly ShopperStep[];
  slot: ServerSlot;
  graph: FakeGraphApi;
  log: DeliveryLog;
  /** Longest wait for each step's answer (restarts and leases included). */
  stepTimeoutMs: number;
  /** Decides, per delivery, to deliver it a second time: `concurrent` at once, `after` once the first was acknowledged. */
  twice?: () => 'concurrent' | 'after' | undefined;
  /** How webhooks reach the server (default: kept-alive connections). */
  delivery?: DeliverOptions;
}

/**
 * Drives one customer through `steps` over signed webhooks: each message is
 * delivered until acknowledged (some twice), and the next is sent once the
 * fake Graph API received the reply that answers it.
 */
export async function runShopper(options: ShopperOptions): Promise<void> {
  const { from, graph, slot, log } = options;
  const send = (hook: Webhook) => deliverUntilAcknowledged(slot, hook, log, options.delivery);
  for (const step of options.steps) {
    const seen = graph.accepted(from);
    const hook = step.tap !== undefined ? tapWebhook(from, optionTitled(seen, step.tap)) : textWebhook(from, step.text ?? '');
    const twice = options.twice?.();
    if (twice === 'concurrent') {
      await Promise.all([send(hook), send(hook)]);
    } else {
      await send(hook);
      if (twice === 'after') await send(hook);
    }
    await graph.waitFor(() => graph.accepted(from).slice(seen.length).some(step.answered), options.stepTimeoutMs,
      () => `customer ${from} got no answer to "${step.name}"\n${describeCalls(graph.calls.filter((c) => c.message.to === from))}`);
  }
}
