-- AlterTable
ALTER TABLE "Business" ADD COLUMN     "hours" TEXT NOT NULL DEFAULT '{}';
