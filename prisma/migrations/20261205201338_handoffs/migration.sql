-- Hand-offs to a person of a business (one open per conversation), and the journal read by conversation.
-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "businessId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "openFor" TEXT,
    "requestedAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    "closedAt" DATETIME,
    "closedBy" TEXT,
    "dueAt" DATETIME NOT NULL,
    "timedOutAt" DATETIME,
    "offerOpen" BOOLEAN NOT NULL DEFAULT false,
    "unread" INTEGER NOT NULL DEFAULT 0,
    "lastCustomerAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Handoff_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Handoff_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "Business" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A business's `handoff` setting as JSON, `{}` for the defaults. A column added in place:
-- remaking the table would drop the search index's triggers on it.
ALTER TABLE "Business" ADD COLUMN "handoff" TEXT NOT NULL DEFAULT '{}';

-- CreateIndex
CREATE UNIQUE INDEX "Handoff_openFor_key" ON "Handoff"("openFor");

-- CreateIndex
CREATE INDEX "Handoff_businessId_status_idx" ON "Handoff"("businessId", "status");

-- CreateIndex
CREATE INDEX "Handoff_status_dueAt_idx" ON "Handoff"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Handoff_conversationId_idx" ON "Handoff"("conversationId");

-- CreateIndex
CREATE INDEX "InboundEvent_conversationId_id_idx" ON "InboundEvent"("conversationId", "id");
