-- CreateIndex
CREATE INDEX "Business_botId_updatedAt_idx" ON "Business"("botId", "updatedAt");
