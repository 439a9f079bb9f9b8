import type { Prisma, PrismaClient } from './generated/client.ts';

/** A Prisma client or the transaction client of a turn: services accept either. */
export type DbClient = PrismaClient | Prisma.TransactionClient;
