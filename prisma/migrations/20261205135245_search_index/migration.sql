-- Search indexes (written by hand: Prisma's schema cannot describe them).
-- FTS5 with the trigram tokenizer: substrings and parts of words match, accents are ignored
-- ("sao" finds "São"). Only active rows are indexed. Each index row has the rowid of its
-- Business or Product row; triggers keep them in step with every write, in the writer's
-- transaction. `bot` and `shop` scope a search; their bm25 weight is 0.

CREATE VIRTUAL TABLE "BusinessSearch" USING fts5(
  "bot", "name", "keywords", "description",
  content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
);

CREATE VIRTUAL TABLE "ProductSearch" USING fts5(
  "shop", "name", "body",
  content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
);

-- The words of a business besides its name: category, tags (a JSON array), city and country.
CREATE TRIGGER "Business_search_insert" AFTER INSERT ON "Business" WHEN NEW."active" BEGIN
  INSERT INTO "BusinessSearch" ("rowid", "bot", "name", "keywords", "description")
  VALUES (NEW."rowid", NEW."botId", NEW."name",
    NEW."category" || ' ' || (SELECT group_concat("value", ' ') FROM json_each(CASE WHEN json_valid(NEW."tags") THEN NEW."tags" ELSE '[]' END)) || ' ' || NEW."city" || ' ' || NEW."country",
    NEW."description");
END;

CREATE TRIGGER "Business_search_update" AFTER UPDATE OF "botId", "name", "category", "tags", "city", "country", "description", "active" ON "Business" BEGIN
  DELETE FROM "BusinessSearch" WHERE "rowid" = OLD."rowid" AND OLD."active";
  INSERT INTO "BusinessSearch" ("rowid", "bot", "name", "keywords", "description")
  SELECT NEW."rowid", NEW."botId", NEW."name",
    NEW."category" || ' ' || coalesce((SELECT group_concat("value", ' ') FROM json_each(CASE WHEN json_valid(NEW."tags") THEN NEW."tags" ELSE '[]' END)), '') || ' ' || NEW."city" || ' ' || NEW."country",
    NEW."description"
  WHERE NEW."active";
END;

CREATE TRIGGER "Business_search_delete" AFTER DELETE ON "Business" WHEN OLD."active" BEGIN
  DELETE FROM "BusinessSearch" WHERE "rowid" = OLD."rowid";
END;

-- A product's words: its name, then its SKU, category name and description.
CREATE TRIGGER "Product_search_insert" AFTER INSERT ON "Product" WHEN NEW."active" BEGIN
  INSERT INTO "ProductSearch" ("rowid", "shop", "name", "body")
  VALUES (NEW."rowid", NEW."businessId", NEW."name",
    NEW."sku" || ' ' || coalesce((SELECT "name" FROM "Category" WHERE "id" = NEW."categoryId"), '') || ' ' || NEW."description");
END;

CREATE TRIGGER "Product_search_update" AFTER UPDATE OF "businessId", "categoryId", "sku", "name", "description", "active" ON "Product" BEGIN
  DELETE FROM "ProductSearch" WHERE "rowid" = OLD."rowid" AND OLD."active";
  INSERT INTO "ProductSearch" ("rowid", "shop", "name", "body")
  SELECT NEW."rowid", NEW."businessId", NEW."name",
    NEW."sku" || ' ' || coalesce((SELECT "name" FROM "Category" WHERE "id" = NEW."categoryId"), '') || ' ' || NEW."description"
  WHERE NEW."active";
END;

CREATE TRIGGER "Product_search_delete" AFTER DELETE ON "Product" WHEN OLD."active" BEGIN
  DELETE FROM "ProductSearch" WHERE "rowid" = OLD."rowid";
END;

-- Rows written before this migration.
INSERT INTO "BusinessSearch" ("rowid", "bot", "name", "keywords", "description")
SELECT "rowid", "botId", "name",
  "category" || ' ' || coalesce((SELECT group_concat("value", ' ') FROM json_each(CASE WHEN json_valid("tags") THEN "tags" ELSE '[]' END)), '') || ' ' || "city" || ' ' || "country",
  "description"
FROM "Business" WHERE "active";

INSERT INTO "ProductSearch" ("rowid", "shop", "name", "body")
SELECT p."rowid", p."businessId", p."name", p."sku" || ' ' || coalesce(c."name", '') || ' ' || p."description"
FROM "Product" p LEFT JOIN "Category" c ON c."id" = p."categoryId" WHERE p."active";

-- Ranking: bm25 with the name first; the scope columns do not count.
INSERT INTO "BusinessSearch" ("BusinessSearch", "rank") VALUES ('rank', 'bm25(0.0, 10.0, 5.0, 1.0)');
INSERT INTO "ProductSearch" ("ProductSearch", "rank") VALUES ('rank', 'bm25(0.0, 10.0, 2.0)');
