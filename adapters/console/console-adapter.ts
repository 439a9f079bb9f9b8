import { parseFailure, type ChannelAdapter, type ChannelCapabilities, type InboundMessage, type ParseResult } from '../../engine/index.ts';
import { textOf } from '../kit/text.ts';

/** A console channel shows text only: choices become numbered lines. */
export const CONSOLE_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 0,
  maxButtonTitle: 0,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 10_000,
  numberedFallback: true,
  images: false,
  kinds: [],
};

/** A line the customer typed. */
export interface ConsoleInput {
  customerId: string;
  text: string;
  /** Unique per line; the deduplication key. */
  messageId: string;
  locale?: string;
}

/** Options for {@link createConsoleAdapter}. */
export interface ConsoleAdapterOptions {
  /** Where rendered lines go (default: standard output). */
  write?: (text: string) => void;
}

/**
 * The console channel: reads lines, prints text. Choices are numbered and
 * answered by number or by name (the engine resolves both).
 *
 * @example
 * ```ts
 * const adapter = createConsoleAdapter();
 * const parsed = adapter.parse({ customerId: 'ana', text: 'padaria', messageId: 'ana-1' }, { botId: 'directory' });
 * if (parsed.ok) for (const m of parsed.messages) await adapter.send({ botId: 'directory', customerId: 'ana' }, (await engine.handle(m)).flatMap((r) => adapter.render(r, { locale: 'pt-BR' })));
 * ```
 */
export function createConsoleAdapter(options: ConsoleAdapterOptions = {}): ChannelAdapter<string> {
  const write = options.write ?? ((text: string) => process.stdout.write(`${text}\n`));
  return {
    channel: 'console',
    capabilities: CONSOLE_CAPABILITIES,
    parse(raw, { botId }): ParseResult {
      const input = raw as Partial<ConsoleInput> | null;
      if (!input || typeof input.text !== 'string' || typeof input.customerId !== 'string' || typeof input.messageId !== 'string') {
        return parseFailure('expected { customerId, text, messageId } strings');
      }
      const message: InboundMessage = {
        kind: 'text', text: input.text, messageId: input.messageId, channel: 'console', botId,
        customer: { id: input.customerId, ...(input.locale ? { locale: input.locale } : {}) },
      };
      return { ok: true, messages: [message] };
    },
    render: (message) => [textOf(message)],
    async send(_to, rendered) {
      for (const text of rendered) write(text);
    },
  };
}
