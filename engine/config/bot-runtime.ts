/** A loaded bot, as the engine and steps see it. */
export interface BotRuntime {
  id: string;
  name: string;
  description: string;
  defaultLocale: string;
  /** Locales customers may switch to. */
  locales: string[];
  /** Whether the bot sells for one shop (`business:` in bot.yaml) rather than a directory of them. */
  singleShop: boolean;
  /** The id of the flow the bot runs. */
  flowId: string;
  /** The id of the payment provider orders use. */
  paymentProvider: string;
  /** Prefix of order numbers, e.g. `VT` in `VT-7K3F9Q`. */
  orderPrefix: string;
  /** Channel names the bot is enabled on, with their settings. */
  channels: Record<string, Record<string, unknown>>;
}
