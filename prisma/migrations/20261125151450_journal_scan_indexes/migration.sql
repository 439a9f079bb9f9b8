-- DropIndex
DROP INDEX "InboundEvent_status_conversationKey_id_idx";

-- DropIndex
DROP INDEX "OutboxMessage_status_channel_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "InboundEvent_status_id_idx" ON "InboundEvent"("status", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_id_idx" ON "OutboxMessage"("status", "id");
