-- AlterTable
ALTER TABLE "Business" ADD COLUMN     "handoff" TEXT NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "businessId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "openFor" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "closedBy" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "timedOutAt" TIMESTAMP(3),
    "offerOpen" BOOLEAN NOT NULL DEFAULT false,
    "unread" INTEGER NOT NULL DEFAULT 0,
    "lastCustomerAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Handoff_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "Business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
