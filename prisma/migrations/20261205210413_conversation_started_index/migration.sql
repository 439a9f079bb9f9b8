-- CreateIndex
CREATE INDEX "Conversation_botId_createdAt_idx" ON "Conversation"("botId", "createdAt");
