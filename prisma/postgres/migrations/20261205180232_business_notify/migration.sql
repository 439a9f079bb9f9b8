-- AlterTable
ALTER TABLE "Business" ADD COLUMN     "notify" TEXT NOT NULL DEFAULT '{}';
