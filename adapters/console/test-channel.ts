import type { Engine, InboundMessage, OutboundMessage } from '../../engine/index.ts';
import { createConsoleAdapter } from './console-adapter.ts';

/** A conversation driven through the console adapter, for transcript tests. */
export interface TestConversation {
  /** Sends a line and returns the bot's rendered reply text. */
  say(text: string): Promise<string>;
  /** Sends a line again with a given message id (to test deduplication). */
  sayWithId(text: string, messageId: string): Promise<string>;
  /** Shares a location pin (as WhatsApp and Telegram deliver it) and returns the bot's rendered reply text. */
  shareLocation(latitude: number, longitude: number, name?: string): Promise<string>;
  /** The raw replies of the last turn. */
  readonly last: OutboundMessage[];
}

/**
 * Drives a conversation through the console adapter: what a customer types,
 * what they would read.
 *
 * @example
 * ```ts
 * const chat = createTestConversation(engine, { botId: 'directory', customerId: 'ana' });
 * expect(await chat.say('padaria')).toContain('Padaria São Jorge');
 * ```
 */
export function createTestConversation(engine: Engine, options: { botId: string; customerId: string; locale?: string }): TestConversation {
  const adapter = createConsoleAdapter({ write: () => undefined });
  let seq = 0;
  let last: OutboundMessage[] = [];
  async function send(text: string, messageId: string): Promise<string> {
    const parsed = adapter.parse({ customerId: options.customerId, text, messageId, ...(options.locale ? { locale: options.locale } : {}) }, { botId: options.botId });
    if (!parsed.ok) throw parsed.error;
    return handle(parsed.messages);
  }
  async function handle(messages: InboundMessage[]): Promise<string> {
    const out: string[] = [];
    last = [];
    for (const message of messages) {
      const replies = await engine.handle(message);
      last.push(...replies);
      out.push(...replies.flatMap((r) => adapter.render(r, { locale: options.locale ?? 'en' })));
    }
    return out.join('\n');
  }
  return {
    say: (text) => send(text, `${options.customerId}-${Date.now()}-${++seq}`),
    sayWithId: send,
    shareLocation: (latitude, longitude, name) => handle([{
      kind: 'location', latitude, longitude, ...(name ? { name } : {}), messageId: `${options.customerId}-${Date.now()}-${++seq}`,
      channel: 'console', botId: options.botId, customer: { id: options.customerId, ...(options.locale ? { locale: options.locale } : {}) },
    }]),
    get last() {
      return last;
    },
  };
}
