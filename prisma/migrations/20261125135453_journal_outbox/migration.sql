-- DropIndex
DROP INDEX "PendingDelivery_botId_channel_customerId_idx";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "PendingDelivery";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "botId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "inboundEventId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InboundEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "botId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "conversationKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "delivery" TEXT NOT NULL DEFAULT 'outbox',
    "status" TEXT NOT NULL DEFAULT 'admitted',
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "conversationId" TEXT,
    "replies" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);
-- Events handled before the journal existed are finished: keep them for deduplication only.
INSERT INTO "new_InboundEvent" ("botId", "channel", "conversationId", "createdAt", "messageId", "replies", "conversationKey", "payload", "status", "finishedAt") SELECT "botId", "channel", "conversationId", "createdAt", "messageId", "replies", '', '{}', 'done', "createdAt" FROM "InboundEvent" ORDER BY "createdAt";
DROP TABLE "InboundEvent";
ALTER TABLE "new_InboundEvent" RENAME TO "InboundEvent";
CREATE INDEX "InboundEvent_status_conversationKey_id_idx" ON "InboundEvent"("status", "conversationKey", "id");
CREATE UNIQUE INDEX "InboundEvent_botId_channel_messageId_key" ON "InboundEvent"("botId", "channel", "messageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OutboxMessage_status_channel_nextAttemptAt_idx" ON "OutboxMessage"("status", "channel", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_botId_customerId_status_id_idx" ON "OutboxMessage"("channel", "botId", "customerId", "status", "id");
