/** What a short option token stands for. */
export type ResolvedOption =
  | { kind: 'id'; optionId: string }
  /** The token was forgotten (restart, eviction): only the option's 1-based position is known. */
  | { kind: 'position'; position: number };

/** Options for {@link OptionIds}. */
export interface OptionIdsOptions {
  /** Longest id the channel carries, in UTF-8 bytes (Telegram callback_data: 64). */
  maxBytes: number;
  /** Most long ids remembered; the oldest are forgotten first (default 10 000). */
  capacity?: number;
}

const TOKEN = /^~(\d+)\.(\d+)$/;

/**
 * Fits option ids into a channel's id limit. Ids that fit are sent as they are;
 * longer ones become short tokens `~<n>.<position>` kept in a bounded in-memory map.
 * A token that was forgotten (after a restart, or evicted) still carries the
 * option's position, which the engine resolves like a typed number.
 *
 * @example
 * ```ts
 * const ids = new OptionIds({ maxBytes: 64 });
 * const data = ids.encode('product:' + 'x'.repeat(80), 3); // '~1.3'
 * ids.decode(data); // { kind: 'id', optionId: 'product:xxxx…' }
 * ```
 */
export class OptionIds {
  private readonly tokens = new Map<string, string>();
  private readonly maxBytes: number;
  private readonly capacity: number;
  private seq = 0;

  constructor(options: OptionIdsOptions) {
    this.maxBytes = options.maxBytes;
    this.capacity = options.capacity ?? 10_000;
  }

  /** The id to send for an option at a 1-based `position`. */
  encode(optionId: string, position: number): string {
    if (Buffer.byteLength(optionId, 'utf8') <= this.maxBytes && !TOKEN.test(optionId)) return optionId;
    const token = `~${++this.seq}.${position}`;
    this.tokens.set(token, optionId);
    while (this.tokens.size > this.capacity) {
      const oldest = this.tokens.keys().next().value;
      if (oldest === undefined) break;
      this.tokens.delete(oldest);
    }
    return token;
  }

  /** What a received id stands for. */
  decode(data: string): ResolvedOption {
    const match = TOKEN.exec(data);
    if (!match) return { kind: 'id', optionId: data };
    const known = this.tokens.get(data);
    if (known !== undefined) return { kind: 'id', optionId: known };
    return { kind: 'position', position: Number(match[2]) };
  }
}
