import type { Engine, OutboundMessage } from '../../engine/index.ts';
import { createConsoleAdapter } from './console-adapter.ts';

/** A conversation driven through the console adapter, for transcript tests. */
export interface TestConversation {
  /** Sends a line and returns the bot's rendered reply text. */
  say(text: string): Promise<string>;
  /** Sends a line again with a given message id (to test deduplication). */
  sayWithId(text: string, messageId: string): Promise<string>;
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
    const out: string[] = [];
    last = [];
    for (const message of parsed.messages) {
      const replies = await engine.handle(message);
      last.push(...replies);
      out.push(...replies.flatMap((r) => adapter.render(r, { locale: options.locale ?? 'en' })));
    }
    return out.join('\n');
  }
  return {
    say: (text) => send(text, `${options.customerId}-${Date.now()}-${++seq}`),
    sayWithId: send,
    get last() {
      return last;
    },
  };
}
