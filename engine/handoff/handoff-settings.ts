import { z } from 'zod';

/** How long the bot waits for a person when a business sets nothing (minutes). */
export const DEFAULT_ANSWER_WITHIN_MINUTES = 10;

/**
 * A business's `handoff` setting, as written in its YAML file: how long a
 * customer who asked for a person waits for the first answer of the staff
 * before the bot says that no one has answered yet and offers to carry on
 * (default {@link DEFAULT_ANSWER_WITHIN_MINUTES}).
 *
 * @example
 * ```yaml
 * handoff:
 *   answerWithinMinutes: 15
 * ```
 */
export const handoffSettingsSchema = z.object({
  answerWithinMinutes: z.number({ error: 'expected a whole number of minutes, like 10' })
    .int('expected a whole number of minutes, like 10')
    .min(1, 'expected at least 1 minute')
    .max(1440, 'expected at most 1440 minutes (a day)')
    .default(DEFAULT_ANSWER_WITHIN_MINUTES),
}).strict();

/** A business's `handoff` setting. */
export type HandoffSettings = z.infer<typeof handoffSettingsSchema>;

/**
 * The stored setting of a business (the `handoff` column's JSON), the
 * defaults when it is `{}` or cannot be read.
 *
 * @example
 * ```ts
 * storedHandoffSettings('{"answerWithinMinutes":15}').answerWithinMinutes; // 15
 * storedHandoffSettings('{}').answerWithinMinutes; // 10
 * ```
 */
export function storedHandoffSettings(json: string): HandoffSettings {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json || '{}');
  } catch {
    // An unreadable column keeps the defaults.
  }
  const parsed = handoffSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : { answerWithinMinutes: DEFAULT_ANSWER_WITHIN_MINUTES };
}
