/**
 * Product feeds as shops export them from Meta Commerce Manager and Google
 * Merchant Center, written for the tests: a bakery in São Paulo with a few
 * thousand products across its own product types, sale prices, stock counts,
 * discontinued lines, descriptions with commas, quotes and line breaks, and
 * rows a person got wrong. Deterministic: the same call gives the same feed.
 */

/** One product as a feed lists it (`price` like "12.50 BRL"). */
export type FeedItem = Record<string, string>;

/** A row a person got wrong, the column the importer must blame, and a word its reason must contain. */
export interface BadRow {
  item: FeedItem;
  column: string;
  reason: string;
}

const TYPES = ['Pães > Pão de forma', 'Salgados > Assados', 'Doces e bolos > Bolos', 'Bebidas > Cafés', 'Congelados > Pão de queijo'];
const GOOGLE = 'Food, Beverages & Tobacco > Food Items > Bakery';

/** `count` good products of the bakery. */
export function bakeryItems(count: number): FeedItem[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const cents = 150 + ((n * 37) % 4850);
    const item: FeedItem = {
      id: `SJ-${String(n).padStart(5, '0')}`,
      title: `Produto ${n} da padaria`,
      description: n % 7 === 0 ? `Receita da casa, "especial", com fermentação natural,\nassado no dia ${n % 28 + 1}` : `Feito na Mooca, lote ${n}`,
      availability: n % 11 === 0 ? 'out of stock' : 'in stock',
      condition: 'new',
      price: `${(cents / 100).toFixed(2)} BRL`,
      link: `https://padaria.example.com/p/${n}`,
      image_link: `https://images.example.com/sj/${n}.jpg`,
      brand: 'Padaria São Jorge',
      google_product_category: GOOGLE,
      product_type: TYPES[n % TYPES.length] ?? '',
    };
    if (n % 5 === 0) item['quantity_to_sell_on_facebook'] = String(n % 40);
    if (n % 13 === 0) item['sale_price'] = `${((cents - 50) / 100).toFixed(2)} BRL`;
    if (n % 97 === 0) item['availability'] = 'discontinued';
    return item;
  });
}

/** Rows that cannot be used, each with the column to blame and a word of the reason. */
export function badRows(): BadRow[] {
  const base = (id: string): FeedItem => ({ id, title: `Produto ${id}`, description: '', availability: 'in stock', condition: 'new', price: '9.90 BRL', link: '', image_link: '', brand: 'Padaria São Jorge', google_product_category: GOOGLE, product_type: 'Pães' });
  return [
    { item: { ...base('BAD-USD'), price: '12.50 USD' }, column: 'price', reason: 'USD' },
    { item: { ...base('BAD-COMMA'), price: '12,50 BRL' }, column: 'price', reason: 'dot for decimals' },
    { item: { ...base('BAD-DIGITS'), price: '12.505 BRL' }, column: 'price', reason: 'decimals' },
    { item: { ...base(''), title: 'Sem id' }, column: 'id', reason: 'no id' },
    { item: { ...base('SJ-00001'), title: 'Repetido' }, column: 'id', reason: 'repeats' },
    { item: { ...base('BAD-AVAIL'), availability: 'sold out' }, column: 'availability', reason: 'sold out' },
    { item: { ...base('BAD-QTY'), quantity_to_sell_on_facebook: '-3' }, column: 'quantity_to_sell_on_facebook', reason: 'whole number' },
    { item: { ...base('BAD-IMAGE'), image_link: 'foto.jpg' }, column: 'image_link', reason: 'URL' },
    { item: { ...base('BAD-NOPRICE'), price: '' }, column: 'price', reason: 'no price' },
    { item: { ...base('BAD ID WITH SPACES') }, column: 'id', reason: 'SKU' },
    { item: { ...base('BAD-SALE'), sale_price: '8.90 EUR' }, column: 'sale_price', reason: 'EUR' },
    { item: { ...base('BAD-NOTITLE'), title: '' }, column: 'title', reason: 'no title' },
  ];
}

/** The feed's items with the bad rows spread through it; `badAt` gives each bad row's index in the list. */
export function bakeryFeed(count: number): { items: FeedItem[]; bad: (BadRow & { index: number })[] } {
  const items = bakeryItems(count);
  const bad = badRows().map((row, i) => ({ ...row, index: Math.floor(((i + 1) * count) / 14) + i }));
  for (const row of bad) items.splice(row.index, 0, row.item);
  return { items, bad };
}

const COLUMNS = ['id', 'title', 'description', 'availability', 'condition', 'price', 'sale_price', 'link', 'image_link', 'brand', 'google_product_category', 'product_type', 'quantity_to_sell_on_facebook'];

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The feed as Meta's CSV template writes it, with the line each item starts on. */
export function feedCsv(items: readonly FeedItem[]): { text: string; lines: number[] } {
  const out = [COLUMNS.join(',')];
  const lines: number[] = [];
  let line = 2;
  for (const item of items) {
    const row = COLUMNS.map((c) => csvCell(item[c] ?? '')).join(',');
    lines.push(line);
    line += row.split('\n').length;
    out.push(row);
  }
  return { text: `${out.join('\n')}\n`, lines };
}

/** The feed as a tab-separated file (line breaks inside a text become spaces, as TSV has no quoting). */
export function feedTsv(items: readonly FeedItem[]): string {
  const rows = items.map((item) => COLUMNS.map((c) => (item[c] ?? '').replace(/[\t\n]/g, ' ')).join('\t'));
  return `${[COLUMNS.join('\t'), ...rows].join('\n')}\n`;
}

const xmlText = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The feed as Google Merchant Center's RSS 2.0 with the `g:` namespace (descriptions in CDATA), with the line each item starts on. */
export function feedXml(items: readonly FeedItem[]): { text: string; lines: number[] } {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">', '<channel>', '<title>Padaria São Jorge</title>', '<link>https://padaria.example.com</link>'];
  const lines: number[] = [];
  for (const item of items) {
    lines.push(out.length + 1);
    out.push('<item>');
    for (const c of COLUMNS) {
      const value = item[c];
      if (value === undefined) continue;
      const tag = c === 'title' || c === 'link' ? c : `g:${c}`;
      if (c === 'description') out.push(`<${tag}><![CDATA[${value.replace(/\n/g, ' ')}]]></${tag}>`);
      else out.push(`<${tag}>${xmlText(value)}</${tag}>`);
    }
    out.push('</item>');
  }
  out.push('</channel>', '</rss>');
  return { text: `${out.join('\n')}\n`, lines };
}
