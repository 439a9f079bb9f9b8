-- How an order reaches its customer. Columns added in place: remaking the Business table
-- would drop the search index's triggers on it.
ALTER TABLE "Business" ADD COLUMN "fulfilment" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "Customer" ADD COLUMN "phone" TEXT;
ALTER TABLE "Order" ADD COLUMN "customerName" TEXT;
ALTER TABLE "Order" ADD COLUMN "customerPhone" TEXT;
ALTER TABLE "Order" ADD COLUMN "fulfilment" TEXT;
ALTER TABLE "Order" ADD COLUMN "zone" TEXT;
ALTER TABLE "Order" ADD COLUMN "address" TEXT;
ALTER TABLE "Order" ADD COLUMN "latitude" REAL;
ALTER TABLE "Order" ADD COLUMN "longitude" REAL;
ALTER TABLE "Order" ADD COLUMN "tableNumber" TEXT;
ALTER TABLE "Order" ADD COLUMN "note" TEXT;
ALTER TABLE "Order" ADD COLUMN "feeMinor" INTEGER NOT NULL DEFAULT 0;
