-- Where a business hears of new orders, payments and hand-off requests: its `notify`
-- setting as JSON (see docs/notifications.md). A column added in place: remaking the
-- table would drop the search index's triggers on it.
ALTER TABLE "Business" ADD COLUMN "notify" TEXT NOT NULL DEFAULT '{}';
