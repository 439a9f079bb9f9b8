-- CreateTable
CREATE TABLE "FunnelMark" (
    "businessId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "day" TEXT NOT NULL,

    PRIMARY KEY ("businessId", "day", "stage", "conversationId")
);

-- CreateTable
CREATE TABLE "UnfoundSearch" (
    "businessId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,

    PRIMARY KEY ("businessId", "day", "query")
);

-- CreateIndex
CREATE INDEX "Order_businessId_updatedAt_idx" ON "Order"("businessId", "updatedAt");
