-- DropForeignKey
ALTER TABLE "InboundEvent" DROP CONSTRAINT "InboundEvent_conversationId_fkey";

-- AlterTable
ALTER TABLE "InboundEvent" DROP CONSTRAINT "InboundEvent_pkey",
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "conversationKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "delivery" TEXT NOT NULL DEFAULT 'outbox',
ADD COLUMN     "error" TEXT,
ADD COLUMN     "finishedAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "payload" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'done',
DROP COLUMN "id",
ADD COLUMN     "id" SERIAL NOT NULL,
ALTER COLUMN "conversationId" DROP NOT NULL,
ALTER COLUMN "replies" SET DEFAULT '[]',
ADD CONSTRAINT "InboundEvent_pkey" PRIMARY KEY ("id");

-- Events handled before the journal existed are finished: keep them for deduplication only.
UPDATE "InboundEvent" SET "finishedAt" = "createdAt";
ALTER TABLE "InboundEvent" ALTER COLUMN "conversationKey" DROP DEFAULT,
ALTER COLUMN "payload" DROP DEFAULT,
ALTER COLUMN "status" SET DEFAULT 'admitted';

-- DropTable
DROP TABLE "PendingDelivery";

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "botId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "inboundEventId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxMessage_status_channel_nextAttemptAt_idx" ON "OutboxMessage"("status", "channel", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_botId_customerId_status_id_idx" ON "OutboxMessage"("channel", "botId", "customerId", "status", "id");

-- CreateIndex
CREATE INDEX "InboundEvent_status_conversationKey_id_idx" ON "InboundEvent"("status", "conversationKey", "id");
