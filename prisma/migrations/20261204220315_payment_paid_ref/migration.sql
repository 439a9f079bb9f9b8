-- AlterTable
ALTER TABLE "Payment" ADD COLUMN "paidRef" TEXT;

-- CreateIndex
CREATE INDEX "Payment_provider_paidRef_idx" ON "Payment"("provider", "paidRef");
