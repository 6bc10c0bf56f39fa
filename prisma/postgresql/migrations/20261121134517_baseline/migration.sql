-- twin-of: 20261121123349_init, 20261121123434_keys, 20261121125857_requests, 20261121130006_usage, 20261121133455_usage_rollups, 20261121134517_usage_indexes
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMembership" (
    "userId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "isLead" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamMembership_pkey" PRIMARY KEY ("userId","teamId")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "targetLabel" TEXT,
    "teamId" TEXT,
    "result" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "credentialId" TEXT,
    "iamUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT,
    "teamId" TEXT,
    "managed" BOOLEAN NOT NULL DEFAULT false,
    "consoleUser" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'Active',
    "state" TEXT NOT NULL DEFAULT 'present',
    "awsCreatedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "settings" TEXT NOT NULL DEFAULT '{}',
    "idempotencyToken" TEXT,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "adoptedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShortTermIssuance" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sourceIdentity" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "accessKeyId" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShortTermIssuance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShortTermRevocation" (
    "id" TEXT NOT NULL,
    "sourceIdentity" TEXT NOT NULL,
    "userId" TEXT,
    "revokedBefore" TIMESTAMP(3) NOT NULL,
    "revokedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShortTermRevocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "InventoryRefresh" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "result" TEXT NOT NULL DEFAULT 'running',
    "listed" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "gone" INTEGER NOT NULL DEFAULT 0,
    "iamCalls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "InventoryRefresh_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyRequest" (
    "id" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "keyName" TEXT NOT NULL DEFAULT '',
    "purpose" TEXT NOT NULL,
    "justification" TEXT NOT NULL DEFAULT '',
    "requestedDuration" INTEGER NOT NULL,
    "requestedModels" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "approvedDuration" INTEGER,
    "approvedModels" TEXT,
    "decidedById" TEXT,
    "decidedByEmail" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionComment" TEXT NOT NULL DEFAULT '',
    "autoApproved" BOOLEAN NOT NULL DEFAULT false,
    "pickupBy" TIMESTAMP(3),
    "pickupClaimedUntil" TIMESTAMP(3),
    "pickedUpAt" TIMESTAMP(3),
    "apiKeyId" TEXT,
    "shortTermIssuanceId" TEXT,
    "expiryRemindedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KeyRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrgPolicy" (
    "id" TEXT NOT NULL DEFAULT 'org',
    "version" INTEGER NOT NULL DEFAULT 1,
    "maxKeyAgeDays" INTEGER,
    "defaultExpiryDays" INTEGER NOT NULL,
    "allowedModels" TEXT NOT NULL DEFAULT '[]',
    "allowedExtraPolicies" TEXT NOT NULL DEFAULT '[]',
    "longTermRequiresApproval" BOOLEAN NOT NULL,
    "shortTermSelfService" BOOLEAN NOT NULL,
    "shortTermMaxMinutes" INTEGER NOT NULL,
    "pickupWindowHours" INTEGER NOT NULL,
    "updatedById" TEXT,
    "updatedByEmail" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrgPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookConfig" (
    "id" TEXT NOT NULL DEFAULT 'org',
    "version" INTEGER NOT NULL DEFAULT 1,
    "url" TEXT,
    "secret" TEXT,
    "updatedById" TEXT,
    "updatedByEmail" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "href" TEXT,
    "dedupeKey" TEXT,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedUntil" TIMESTAMP(3),
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageEvent" (
    "id" SERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventTime" TIMESTAMP(3) NOT NULL,
    "day" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inferenceRegion" TEXT NOT NULL DEFAULT '',
    "eventName" TEXT NOT NULL,
    "modelId" TEXT NOT NULL DEFAULT '',
    "identityType" TEXT NOT NULL,
    "principalArn" TEXT NOT NULL DEFAULT '',
    "principalName" TEXT NOT NULL DEFAULT '',
    "sourceIdentity" TEXT,
    "accessKeyId" TEXT,
    "subject" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "sourceIp" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT NOT NULL DEFAULT '',
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "result" TEXT NOT NULL,
    "keyRefused" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "UsageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageEventRaw" (
    "eventId" TEXT NOT NULL,
    "json" TEXT NOT NULL,

    CONSTRAINT "UsageEventRaw_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "UsageDaily" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inferenceRegion" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("day","subject","modelId","region","inferenceRegion","result")
);

-- CreateTable
CREATE TABLE "UsageDailyModel" (
    "day" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inferenceRegion" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "UsageDailyModel_pkey" PRIMARY KEY ("day","modelId","result","identityType","region","inferenceRegion")
);

-- CreateTable
CREATE TABLE "UsageDailySubject" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "UsageDailySubject_pkey" PRIMARY KEY ("day","subject","result")
);

-- CreateTable
CREATE TABLE "UsageSubject" (
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "principalName" TEXT NOT NULL,
    "principalArn" TEXT NOT NULL DEFAULT '',
    "sourceIdentity" TEXT,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsageSubject_pkey" PRIMARY KEY ("subject")
);

-- CreateTable
CREATE TABLE "UsageSourceIp" (
    "subject" TEXT NOT NULL,
    "sourceIp" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "UsageSourceIp_pkey" PRIMARY KEY ("subject","sourceIp")
);

-- CreateTable
CREATE TABLE "UsageSyncCursor" (
    "region" TEXT NOT NULL,
    "syncedThrough" TIMESTAMP(3),
    "windowStart" TIMESTAMP(3),
    "windowEnd" TIMESTAMP(3),
    "resumeBefore" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsageSyncCursor_pkey" PRIMARY KEY ("region")
);

-- CreateTable
CREATE TABLE "UsageSyncRun" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "full" BOOLEAN NOT NULL DEFAULT false,
    "requestedById" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'running',
    "pages" INTEGER NOT NULL DEFAULT 0,
    "eventsRead" INTEGER NOT NULL DEFAULT 0,
    "eventsInserted" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "etaSeconds" INTEGER,
    "regions" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,

    CONSTRAINT "UsageSyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE INDEX "TeamMembership_teamId_idx" ON "TeamMembership"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_prevHash_key" ON "AuditEntry"("prevHash");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_createdAt_idx" ON "AuditEntry"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_idx" ON "AuditEntry"("actorId");

-- CreateIndex
CREATE INDEX "AuditEntry_action_idx" ON "AuditEntry"("action");

-- CreateIndex
CREATE INDEX "AuditEntry_teamId_idx" ON "AuditEntry"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_credentialId_key" ON "ApiKey"("credentialId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_idempotencyToken_key" ON "ApiKey"("idempotencyToken");

-- CreateIndex
CREATE INDEX "ApiKey_state_status_idx" ON "ApiKey"("state", "status");

-- CreateIndex
CREATE INDEX "ApiKey_teamId_idx" ON "ApiKey"("teamId");

-- CreateIndex
CREATE INDEX "ApiKey_ownerId_idx" ON "ApiKey"("ownerId");

-- CreateIndex
CREATE INDEX "ApiKey_expiresAt_idx" ON "ApiKey"("expiresAt");

-- CreateIndex
CREATE INDEX "ApiKey_iamUserName_idx" ON "ApiKey"("iamUserName");

-- CreateIndex
CREATE INDEX "ApiKey_name_idx" ON "ApiKey"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ShortTermIssuance_accessKeyId_key" ON "ShortTermIssuance"("accessKeyId");

-- CreateIndex
CREATE INDEX "ShortTermIssuance_userId_issuedAt_idx" ON "ShortTermIssuance"("userId", "issuedAt");

-- CreateIndex
CREATE INDEX "ShortTermIssuance_sourceIdentity_idx" ON "ShortTermIssuance"("sourceIdentity");

-- CreateIndex
CREATE INDEX "ShortTermIssuance_issuedAt_idx" ON "ShortTermIssuance"("issuedAt");

-- CreateIndex
CREATE INDEX "ShortTermRevocation_sourceIdentity_revokedBefore_idx" ON "ShortTermRevocation"("sourceIdentity", "revokedBefore");

-- CreateIndex
CREATE INDEX "InventoryRefresh_startedAt_idx" ON "InventoryRefresh"("startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "KeyRequest_apiKeyId_key" ON "KeyRequest"("apiKeyId");

-- CreateIndex
CREATE UNIQUE INDEX "KeyRequest_shortTermIssuanceId_key" ON "KeyRequest"("shortTermIssuanceId");

-- CreateIndex
CREATE INDEX "KeyRequest_requesterId_createdAt_idx" ON "KeyRequest"("requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "KeyRequest_teamId_status_idx" ON "KeyRequest"("teamId", "status");

-- CreateIndex
CREATE INDEX "KeyRequest_status_pickupBy_idx" ON "KeyRequest"("status", "pickupBy");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_dedupeKey_key" ON "Notification"("userId", "dedupeKey");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_createdAt_idx" ON "WebhookDelivery"("createdAt");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_attemptedAt_idx" ON "WebhookAttempt"("deliveryId", "attemptedAt");

-- CreateIndex
CREATE UNIQUE INDEX "UsageEvent_eventId_key" ON "UsageEvent"("eventId");

-- CreateIndex
CREATE INDEX "UsageEvent_eventTime_idx" ON "UsageEvent"("eventTime");

-- CreateIndex
CREATE INDEX "UsageEvent_subject_eventTime_idx" ON "UsageEvent"("subject", "eventTime");

-- CreateIndex
CREATE INDEX "UsageEvent_apiKeyId_eventTime_idx" ON "UsageEvent"("apiKeyId", "eventTime");

-- CreateIndex
CREATE INDEX "UsageEvent_keyRefused_eventTime_idx" ON "UsageEvent"("keyRefused", "eventTime");

-- CreateIndex
CREATE INDEX "UsageDaily_subject_day_modelId_result_calls_idx" ON "UsageDaily"("subject", "day", "modelId", "result", "calls");

-- CreateIndex
CREATE INDEX "UsageDaily_subject_day_region_inferenceRegion_result_calls_idx" ON "UsageDaily"("subject", "day", "region", "inferenceRegion", "result", "calls");

-- CreateIndex
CREATE INDEX "UsageDailyModel_day_modelId_result_identityType_region_infe_idx" ON "UsageDailyModel"("day", "modelId", "result", "identityType", "region", "inferenceRegion", "calls");

-- CreateIndex
CREATE INDEX "UsageDailyModel_day_region_inferenceRegion_result_identityT_idx" ON "UsageDailyModel"("day", "region", "inferenceRegion", "result", "identityType", "modelId", "calls");

-- CreateIndex
CREATE INDEX "UsageDailySubject_subject_day_idx" ON "UsageDailySubject"("subject", "day");

-- CreateIndex
CREATE INDEX "UsageDailySubject_day_subject_result_identityType_calls_idx" ON "UsageDailySubject"("day", "subject", "result", "identityType", "calls");

-- CreateIndex
CREATE INDEX "UsageSubject_apiKeyId_idx" ON "UsageSubject"("apiKeyId");

-- CreateIndex
CREATE INDEX "UsageSubject_userId_idx" ON "UsageSubject"("userId");

-- CreateIndex
CREATE INDEX "UsageSourceIp_firstSeenAt_idx" ON "UsageSourceIp"("firstSeenAt");

-- CreateIndex
CREATE INDEX "UsageSyncRun_startedAt_idx" ON "UsageSyncRun"("startedAt");

-- AddForeignKey
ALTER TABLE "TeamMembership" ADD CONSTRAINT "TeamMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMembership" ADD CONSTRAINT "TeamMembership_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShortTermIssuance" ADD CONSTRAINT "ShortTermIssuance_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyRequest" ADD CONSTRAINT "KeyRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyRequest" ADD CONSTRAINT "KeyRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyRequest" ADD CONSTRAINT "KeyRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyRequest" ADD CONSTRAINT "KeyRequest_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyRequest" ADD CONSTRAINT "KeyRequest_shortTermIssuanceId_fkey" FOREIGN KEY ("shortTermIssuanceId") REFERENCES "ShortTermIssuance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
