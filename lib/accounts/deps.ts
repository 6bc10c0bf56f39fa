import "server-only";
import { awsClients } from "@/lib/aws/clients";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { type AccountAccess, createAccountAccess } from "./access";
import type { AccountsDeps } from "./service";

// Per module graph, not on globalThis: Next builds instrumentation (the schedules) and the app
// (pages, actions) as separate bundles, each with its own copy of lib/aws/errors and
// lib/actions/errors. An access object shared through globalThis would throw the other bundle's
// error classes, which `instanceof` there does not recognise (seen as "AWS returned the error
// AwsServiceError"). Each bundle caching its own member credentials costs one AssumeRole more.
let shared: AccountAccess | undefined;

/** The app's account access: one per bundle, so member-role credentials are cached across requests and jobs. */
export function accountAccess(): AccountAccess {
  if (!shared) {
    const c = config();
    shared = createAccountAccess({
      db: db(),
      own: awsClients(),
      clientOptions: { region: c.AWS_REGION, ...(c.AWS_ENDPOINT_URL ? { endpoint: c.AWS_ENDPOINT_URL } : {}), maxAttempts: c.AWS_MAX_ATTEMPTS },
    });
  }
  return shared;
}

export function accountsDeps(): AccountsDeps {
  return { db: db(), access: accountAccess(), now: () => new Date(), defaultRegions: config().BEDROCK_REGIONS };
}
