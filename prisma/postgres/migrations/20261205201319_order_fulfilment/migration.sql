-- AlterTable
ALTER TABLE "Business" ADD COLUMN     "fulfilment" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "phone" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "address" TEXT,
ADD COLUMN     "customerName" TEXT,
ADD COLUMN     "customerPhone" TEXT,
ADD COLUMN     "feeMinor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "fulfilment" TEXT,
ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "longitude" DOUBLE PRECISION,
ADD COLUMN     "note" TEXT,
ADD COLUMN     "tableNumber" TEXT,
ADD COLUMN     "zone" TEXT;
