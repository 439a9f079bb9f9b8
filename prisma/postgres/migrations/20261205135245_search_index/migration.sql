-- Search indexes (written by hand: Prisma's schema cannot describe them).
-- pg_trgm's GIN indexes over the searchable text of active rows, lower-cased and with accents
-- removed ("sao" finds "São"): a query word finds the rows with a similar word
-- (`word <% text`), typos included. PostgreSQL keeps them up to date with every write.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary can change); pinned to its dictionary it can be
-- declared IMMUTABLE, as an index expression must be.
CREATE OR REPLACE FUNCTION vitrine_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- What a business search looks at: name, category, tags (a JSON array), city, country, description.
CREATE OR REPLACE FUNCTION vitrine_business_text(name text, category text, tags text, city text, country text, description text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT vitrine_fold(concat_ws(' ', name, category, translate(tags, '[]",', '    '), city, country, description)) $$;

-- What a product search looks at: name, SKU, description.
CREATE OR REPLACE FUNCTION vitrine_product_text(name text, sku text, description text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT vitrine_fold(concat_ws(' ', name, sku, description)) $$;

CREATE INDEX "Business_search" ON "Business" USING gin (vitrine_business_text("name", "category", "tags", "city", "country", "description") gin_trgm_ops) WHERE "active";
CREATE INDEX "Product_search" ON "Product" USING gin (vitrine_product_text("name", "sku", "description") gin_trgm_ops) WHERE "active";
