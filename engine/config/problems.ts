import { LineCounter, parseDocument, isNode, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { VitrineError } from '../errors.ts';

/** One thing wrong in a configuration file. */
export interface ConfigProblem {
  file: string;
  /** Where inside the file, e.g. `states.browse.on.product` or `products[3].price`. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

/**
 * `file:line:col path: message`, the form editors and terminals link.
 *
 * @example
 * ```ts
 * formatProblem({ file: 'bot.yaml', path: 'currency', line: 4, column: 11, message: 'unknown currency "XYZ"' });
 * // 'bot.yaml:4:11 currency: unknown currency "XYZ"'
 * ```
 */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${where} ${p.path || '(file)'}: ${p.message}`;
}

/**
 * The error thrown when configuration is invalid; `problems` lists every one found.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof ConfigError) err.problems.forEach((p) => console.error(formatProblem(p))); }
 * ```
 */
export class ConfigError extends VitrineError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super('VT_ERR_CONFIG_INVALID', problems.map(formatProblem).join('\n'), { context: { problems } });
    this.problems = problems;
  }
}

/** A path inside a document as keys and indexes. */
export type DocPath = readonly PropertyKey[];

/** `states.browse.on[0]` from `['states', 'browse', 'on', 0]`. */
export function pathToString(path: DocPath): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** A parsed YAML or JSON file that can point at any path inside it. */
export interface SourceFile {
  file: string;
  data: unknown;
  /** A problem at `path`, with the line and column of the nearest node that exists. */
  problem(path: DocPath, message: string): ConfigProblem;
}

/** How many times one node may be expanded through aliases: more is an alias bomb, not a config. */
export const MAX_ALIAS_COUNT = 100;

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * Parses YAML (JSON is YAML too) keeping positions. Syntax errors become problems,
 * and so does an alias bomb (a node expanded through aliases more than
 * {@link MAX_ALIAS_COUNT} times): it never throws.
 *
 * @example
 * ```ts
 * const src = parseSource('bot.yaml', text);
 * if ('problems' in src) throw new ConfigError(src.problems);
 * ```
 */
export function parseSource(file: string, text: string): SourceFile | { problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, path: '', line: pos.line, column: pos.col, message: `not valid YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const at = firstAliasOffset(doc);
    const pos = at === undefined ? undefined : lineCounter.linePos(at);
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return {
      problems: [{
        file, path: '', ...(pos ? { line: pos.line, column: pos.col } : {}),
        message: /alias count/i.test(why)
          ? `not usable YAML: ${why}; expected at most ${MAX_ALIAS_COUNT} alias expansions (*name) per node`
          : `not usable YAML: ${why}`,
      }],
    };
  }
  return {
    file,
    data,
    problem(path, message) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true);
        if (isNode(node) && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return { file, path: pathToString(path), line: pos.line, column: pos.col, message };
        }
      }
      return { file, path: pathToString(path), message };
    },
  };
}

/** Turns zod issues into problems located in the source. */
export function zodProblems(src: SourceFile, error: z.ZodError, prefix: DocPath = []): ConfigProblem[] {
  return error.issues.map((issue) => src.problem([...prefix, ...issue.path], describeIssue(issue)));
}

/** What a value is, as a problem names it: `the text "twelve"`, `the number 3`, `a list`. */
function shown(value: unknown): string {
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
  if (value === null) return 'nothing (null)';
  return Array.isArray(value) ? 'a list' : `a ${typeof value === 'object' ? 'mapping' : typeof value}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping', record: 'a mapping',
};

/**
 * A zod issue in the project's words: what was expected and what was found,
 * never zod's own wording ("Invalid input: expected number, received string").
 *
 * @example
 * ```ts
 * describeIssue(issue); // 'expected a number, got the text "twelve"'
 * ```
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${shown(issue.input)}`;
    }
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${issue.input === undefined ? '' : `, got ${shown(issue.input)}`}`;
    case 'invalid_format':
      if (issue.format === 'url') return `expected a web address starting with https:// or http://, got ${shown(issue.input)}`;
      // Formats the schemas name in their own words (slugs, SKUs, country codes) keep them.
      return issue.format === 'regex' && !/^Invalid/.test(issue.message) ? issue.message : `not in the expected form: ${shown(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}, got ${shown(issue.input)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `has more than ${String(issue.maximum)} items`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}, got ${shown(issue.input)}`;
    case 'invalid_union':
      return `not a valid value: got ${shown(issue.input)}`;
    case 'custom':
      return issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}
