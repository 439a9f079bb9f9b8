-- A business's opening hours: its `hours` setting as JSON, `{}` when always open. A column
-- added in place: remaking the table would drop the search index's triggers on it.
ALTER TABLE "Business" ADD COLUMN "hours" TEXT NOT NULL DEFAULT '{}';
