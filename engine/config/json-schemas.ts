import { z } from 'zod';
import { botSpecSchema } from './bot-schema.ts';
import { businessSpecSchema } from './business-schema.ts';
import { flowSpecSchema } from '../flow/flow-schema.ts';

/**
 * JSON Schemas of the configuration files, by the path they are written to,
 * generated from the same zod schemas the loaders validate with.
 *
 * @example
 * ```ts
 * const schemas = jsonSchemas();
 * schemas['flows/flow.schema.json'].title; // 'Vitrine flow'
 * ```
 */
export function jsonSchemas(): Record<string, Record<string, unknown>> {
  const make = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
    title,
  });
  return {
    'flows/flow.schema.json': make(flowSpecSchema, 'Vitrine flow'),
    'bots/bot.schema.json': make(botSpecSchema, 'Vitrine bot'),
    'bots/business.schema.json': make(businessSpecSchema, 'Vitrine business'),
  };
}
