import { createReadStream } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv, type CsvError } from 'csv-parse';
import { SaxesParser } from 'saxes';
import { ConfigError } from '../config/problems.ts';

/** One product row of a feed: the line it starts on and its fields by column (lower-case, without a `g:` prefix). */
export interface FeedRow {
  line: number;
  fields: Record<string, string>;
}

/** The feed formats read: comma- or tab-separated columns, or RSS 2.0 / Atom XML with `g:` fields. */
export type FeedFormat = 'csv' | 'tsv' | 'xml';

/** The format of a feed file by its extension (`.txt` is Meta's tab-separated upload). */
export function feedFormat(file: string): FeedFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.txt') return 'tsv';
  if (ext === '.xml' || ext === '.rss' || ext === '.atom') return 'xml';
  return undefined;
}

/** A column or element name as the mapping reads it: `G:Price ` → `price`. */
const fieldName = (name: string) => name.trim().toLowerCase().replace(/^g:/, '');

/** The line a record starts on: csv-parse counts the line it ends on. */
const startLine = (lines: number, raw: string) => lines - (raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);

async function* delimitedRows(file: string, delimiter: string, onBytes: (n: number) => void): AsyncGenerator<FeedRow> {
  const input = createReadStream(file);
  input.on('data', (chunk) => onBytes(chunk.length));
  const parser = input.pipe(parseCsv({
    delimiter, columns: (header: string[]) => header.map(fieldName), info: true, raw: true, bom: true, trim: true,
    skip_empty_lines: true, relax_column_count: true, relax_quotes: delimiter === '\t',
  }));
  let ended = 1; // the line the last record read ends on (the header's, at first)
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number }; raw: string }>) {
      ended = info.lines;
      yield { line: startLine(info.lines, raw), fields: record };
    }
  } catch (err) {
    // The row that cannot be read starts after the last one read (csv-parse names where it gave up).
    const csv = err as CsvError;
    throw new ConfigError([{ file, path: '', line: ended + 1, message: `not valid ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${csv.message}` }]);
  }
}

async function* xmlRows(file: string, onBytes: (n: number) => void): AsyncGenerator<FeedRow> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const ready: FeedRow[] = [];
  let item: FeedRow | undefined;
  let depth = 0;
  let field: string | undefined;
  let text = '';
  parser.on('opentag', (tag) => {
    const name = fieldName(tag.name);
    if (!item && (name === 'item' || name === 'entry')) {
      item = { line: parser.line, fields: {} };
      depth = 0;
      return;
    }
    if (item && ++depth === 1) {
      field = name;
      text = '';
    }
  });
  parser.on('text', (t) => { if (field) text += t; });
  parser.on('cdata', (t) => { if (field) text += t; });
  parser.on('closetag', (tag) => {
    if (!item) return;
    const name = fieldName(tag.name);
    if (depth === 0 && (name === 'item' || name === 'entry')) {
      ready.push(item);
      item = undefined;
    } else if (depth-- === 1 && field) {
      item.fields[field] = text.trim();
      field = undefined;
    }
  });
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
      onBytes(Buffer.byteLength(chunk as string));
      parser.write(chunk as string);
      yield* ready.splice(0);
    }
    parser.close();
  } catch (err) {
    throw new ConfigError([{ file, path: '', line: parser.line, message: `not valid XML: ${(err as Error).message.replace(/^.*?:\d+:\d+: /, '')}` }]);
  }
  yield* ready.splice(0);
}

/**
 * The product rows of a catalog feed file, as they are read (a large feed is
 * never held whole): CSV or TSV with a header row (Meta Commerce Manager's and
 * Google Merchant Center's templates), or XML (`<item>` / `<entry>` elements
 * whose children are the fields, as in an RSS 2.0 feed with the
 * `http://base.google.com/ns/1.0` `g:` namespace). `onBytes` is told how much
 * of the file was read, for a progress bar. A file that is not valid CSV, TSV
 * or XML throws a {@link ConfigError} naming the line.
 *
 * @example
 * ```ts
 * for await (const row of readFeed('feed.csv')) console.log(row.line, row.fields['id'], row.fields['price']);
 * ```
 */
export function readFeed(file: string, onBytes: (n: number) => void = () => undefined): AsyncGenerator<FeedRow> {
  const format = feedFormat(file);
  if (format === 'xml') return xmlRows(file, onBytes);
  if (format === 'tsv') return delimitedRows(file, '\t', onBytes);
  if (format === 'csv') return delimitedRows(file, ',', onBytes);
  throw new ConfigError([{ file, path: '', message: 'unknown feed format: expected a .csv, .tsv (or Meta .txt) or .xml file' }]);
}
