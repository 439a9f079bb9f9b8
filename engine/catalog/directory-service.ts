import type { DbClient } from '../db/db-client.ts';
import type { Business } from '../db/generated/client.ts';
import { plainQuery } from '../db/plain-query.ts';
import { foldForSearch } from './folded-search.ts';
import { rerank } from './rerank.ts';
import { databaseSearch, type SearchBackend, type SearchBackendFactory } from './search-backend.ts';
import { queryWords, stopWordSet } from './search-text.ts';
import { Spelling } from './spelling.ts';
import { openingHoursSchema, type OpeningHours } from './opening-hours.ts';
import { readFulfilment, type FulfilmentSettings } from '../orders/fulfilment.ts';

/** A business as the directory shows it. */
export interface BusinessSummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  category: string;
  city: string;
  country: string;
  locale: string;
  currency: string;
  /** When it is open; absent: always. */
  hours?: OpeningHours;
  /** Its phone number as its file gives it, for customers who want a person. */
  phone?: string;
  /** How its orders reach customers, amounts in minor units; absent: its checkout asks nothing of it. */
  fulfilment?: FulfilmentSettings;
}

/** What a search re-ranks a business on, folded once when the index is read (see {@link foldForSearch}). */
interface Searchable {
  id: string;
  name: string;
  tags: string[];
  category: string;
  city: string;
  description: string;
}

/** Finds businesses of a bot. */
export interface DirectoryService {
  /** All active businesses of the bot, by name. */
  list(botId: string): Promise<BusinessSummary[]>;
  /**
   * Fuzzy search on name, category, tags and city, typos included. Every word
   * counts: businesses matching more words of the query rank first.
   */
  search(botId: string, query: string, limit?: number): Promise<BusinessSummary[]>;
  /**
   * A business by id, whatever its bot or state: for one the conversation has
   * already selected. An id that comes from the chat goes through {@link find}.
   */
  get(businessId: string): Promise<BusinessSummary | null>;
  /**
   * An active business of `botId` by id, or `null` for an id that is unknown,
   * inactive or another bot's: the check for every business id a customer sends.
   *
   * @example
   * ```ts
   * const business = await directory.find(ctx.data.botId, option.businessId);
   * if (!business) return {}; // "Sorry, I didn't get that."
   * ```
   */
  find(botId: string, businessId: string): Promise<BusinessSummary | null>;
}

export { SEARCH_BOUNDS } from './search-text.ts';

/**
 * Each bot's index as one transaction checked it. The turns that share a
 * transaction (a batch, on SQLite) share one, so each bot's change stamp is
 * read once per transaction instead of once per turn: no turn changes a
 * business, and a change made elsewhere meanwhile is seen by the next
 * transaction, a few milliseconds later. A read that failed is not kept.
 */
export type DirectoryChecks = Map<string, Promise<DirectoryIndex>>;

/** How many candidates a search asks its backend for, before re-ranking. */
const CANDIDATES = 40;

/**
 * One bot's directory: its change stamp, its active businesses by name and by
 * id, what searches re-rank them on, the words they are known by. Made once
 * per change and shared by every turn: nothing in it is changed after.
 */
export interface DirectoryIndex {
  stamp: string;
  all: readonly BusinessSummary[];
  byId: ReadonlyMap<string, BusinessSummary>;
  searchable: ReadonlyMap<string, Searchable>;
  spelling: Spelling;
}

/**
 * Each bot's active businesses, read again when a business changes (the search
 * index is the database's, kept up to date by the database itself). Each
 * use checks one change stamp (how many businesses the bot has and when one
 * last changed) with a single aggregate in plain SQL, the same text on SQLite
 * and PostgreSQL, answered from the index on `(botId, updatedAt)` alone: it
 * runs on every turn that reads the directory, where a query built by the
 * Prisma client costs several times as much CPU.
 */
export class DirectoryIndexCache {
  private readonly indexes = new Map<string, DirectoryIndex>();

  async get(db: DbClient, botId: string): Promise<DirectoryIndex> {
    const [agg] = await plainQuery<{ count: unknown; changed: unknown }>(db,
      'SELECT COUNT(*) AS "count", MAX("updatedAt") AS "changed" FROM "Business" WHERE "botId" = $1', [botId]);
    const changed = agg?.changed instanceof Date ? agg.changed.getTime() : String(agg?.changed ?? '');
    const stamp = `${String(agg?.count ?? 0)}|${changed}`;
    const cached = this.indexes.get(botId);
    if (cached && cached.stamp === stamp) return cached;
    const rows = await db.business.findMany({ where: { botId, active: true }, orderBy: { name: 'asc' } });
    const all = rows.map(summaryOf);
    const tags = new Map(rows.map((r) => [r.id, parseTags(r.tags)]));
    const spelling = new Spelling(all.flatMap((b) => [b.name, b.category, b.city, b.country, ...(tags.get(b.id) ?? [])]));
    const searchable = new Map(all.map((b): [string, Searchable] => [b.id, {
      id: b.id, name: foldForSearch(b.name), tags: (tags.get(b.id) ?? []).map(foldForSearch), category: foldForSearch(b.category),
      city: foldForSearch(b.city), description: foldForSearch(b.description),
    }]));
    const entry: DirectoryIndex = { stamp, all, byId: new Map(all.map((b) => [b.id, b])), searchable, spelling };
    this.indexes.set(botId, entry);
    return entry;
  }

  /** The bot whose cached index holds the active business `businessId`, if any. */
  botOf(businessId: string): string | undefined {
    for (const [botId, entry] of this.indexes) if (entry.byId.has(businessId)) return botId;
    return undefined;
  }
}

/** A Business row as the directory shows it. */
function summaryOf(r: Business): BusinessSummary {
  return {
    id: r.id, slug: r.slug, name: r.name, description: r.description, category: r.category, city: r.city,
    country: r.country, locale: r.locale, currency: r.currency, ...hoursOf(r.hours), ...(r.phone ? { phone: r.phone } : {}), ...fulfilmentOf(r.fulfilment, r.currency),
  };
}

/** A stored `fulfilment` setting, none when it is `{}` or unreadable. */
function fulfilmentOf(json: string, currency: string): { fulfilment?: FulfilmentSettings } {
  const fulfilment = readFulfilment(json, currency);
  return fulfilment ? { fulfilment } : {};
}

/** A stored `hours` setting, none when it is `{}` or unreadable (always open). */
function hoursOf(json: string): { hours?: OpeningHours } {
  try {
    const parsed = openingHoursSchema.safeParse(JSON.parse(json));
    return parsed.success ? { hours: parsed.data } : {};
  } catch {
    return {};
  }
}

function parseTags(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** What a directory search re-ranks on, and how much each counts. */
const BUSINESS_KEYS = [
  { name: 'name', weight: 3 },
  { name: 'tags', weight: 2 },
  { name: 'category', weight: 2 },
  { name: 'city', weight: 2 },
  { name: 'description', weight: 0.5 },
];

/** A business as a service returns it: a copy, so what a caller does with it stays out of the shared index. */
const summary = (business: BusinessSummary): BusinessSummary => ({ ...business });

/**
 * The directory over the database. A search takes its candidates from
 * `search` (by default the database's own index, see {@link databaseSearch})
 * and re-ranks them with Fuse.js on name, tags, category and city; it ignores
 * `stopWords` ("bakery *in* london"; the locale files' `words.stop`). Make one
 * per turn (or per request) over a shared cache: it checks each bot's
 * businesses for changes once in its life, so what changed before it was made
 * is seen. Services of one transaction may share their checks (`checks`, see
 * {@link DirectoryChecks}).
 *
 * @example
 * ```ts
 * const directory = createDirectoryService(db, new DirectoryIndexCache(), { stopWords: i18n.words().stop });
 * const [best] = await directory.search('directory', 'bakery london');
 * ```
 */
export function createDirectoryService(db: DbClient, cache: DirectoryIndexCache, options: { stopWords?: readonly string[]; search?: SearchBackendFactory; checks?: DirectoryChecks } = {}): DirectoryService {
  const stopWords = stopWordSet(options.stopWords);
  let backend: SearchBackend | undefined;
  // A service lives for one turn or request (at most one transaction): the stamp is checked once per bot.
  const checked: DirectoryChecks = options.checks ?? new Map();
  const index = (botId: string): Promise<DirectoryIndex> => {
    let entry = checked.get(botId);
    if (!entry) {
      const reading = cache.get(db, botId);
      // A failed read is not kept: a later turn of the transaction (after a savepoint undid this one) reads again.
      reading.catch(() => {
        if (checked.get(botId) === reading) checked.delete(botId);
      });
      checked.set(botId, reading);
      entry = reading;
    }
    return entry;
  };
  const find = async (botId: string, businessId: string): Promise<BusinessSummary | null> => {
    // The bot's index holds its active businesses only.
    const found = (await index(botId)).byId.get(businessId);
    return found ? summary(found) : null;
  };
  return {
    async list(botId) {
      return (await index(botId)).all.map(summary);
    },
    async search(botId, query, limit = 5) {
      const words = queryWords(query, stopWords);
      if (words.length === 0) return [];
      const { byId, searchable, spelling } = await index(botId);
      backend ??= (options.search ?? databaseSearch)(db);
      const ids = await backend.businesses(botId, words, CANDIDATES, spelling);
      const candidates = ids.flatMap((id) => searchable.get(id) ?? []);
      return rerank(candidates, words, { keys: BUSINESS_KEYS, threshold: 0.34, folded: true }, limit).flatMap((b) => {
        const found = byId.get(b.id);
        return found ? [summary(found)] : [];
      });
    },
    find,
    async get(businessId) {
      const botId = cache.botOf(businessId);
      const cached = botId === undefined ? null : await find(botId, businessId);
      if (cached) return cached;
      const r = await db.business.findUnique({ where: { id: businessId } });
      return r && summaryOf(r);
    },
  };
}
