-- CreateTable
CREATE TABLE "PendingDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "botId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "replies" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "PendingDelivery_botId_channel_customerId_idx" ON "PendingDelivery"("botId", "channel", "customerId");
