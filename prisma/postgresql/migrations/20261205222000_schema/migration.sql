-- twin-of: (none: PostgreSQL only)
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- DropForeignKey
ALTER TABLE "BudgetAction" DROP CONSTRAINT "BudgetAction_budgetId_fkey";

-- DropForeignKey
ALTER TABLE "BudgetAlert" DROP CONSTRAINT "BudgetAlert_budgetId_fkey";

-- AlterTable
ALTER TABLE "OrgPolicy" DROP COLUMN "rotationDays";

-- DropTable
DROP TABLE "BedrockCatalogueEntry";

-- DropTable
DROP TABLE "BedrockCatalogueRead";

-- DropTable
DROP TABLE "Budget";

-- DropTable
DROP TABLE "BudgetAction";

-- DropTable
DROP TABLE "BudgetAlert";

-- DropTable
DROP TABLE "BudgetPolicy";

-- DropTable
DROP TABLE "KeyRotation";

-- DropTable
DROP TABLE "MailOutbox";

-- DropTable
DROP TABLE "MailSettings";
