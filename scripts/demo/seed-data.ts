/**
 * The demo's first-run story: managed keys, requests, short-term keys and 30 days of traffic for
 * the demo accounts (scripts/demo/accounts.ts), so every role meets a realistic console at its
 * first sign-in. Everything goes through the console's own service functions against the running
 * sandbox — the same code paths as the UI, with the same audit entries — while the console's clock
 * and the sandbox's clock are moved back together, so history happens on the days it claims to.
 *
 * Secrets: each service hands back a key once. Long-term keys go to the traffic generator, in
 * memory, and nowhere else; short-term tokens are dropped at once. Nothing secret is printed,
 * stored or returned.
 */
import { randomUUID } from "node:crypto";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { STSClient } from "@aws-sdk/client-sts";
import { appendAudit } from "@/lib/audit/service";
import type { PrismaClient } from "@/lib/db/client";
import { issueLongTermKey } from "@/lib/keys/issue";
import { setKeyStatus } from "@/lib/keys/lifecycle";
import { issueKeySchema } from "@/lib/keys/schemas";
import type { AuditSink, KeyActor, KeyDeps } from "@/lib/keys/types";
import type { NotifyDeps } from "@/lib/notifications/service";
import { decideRequest } from "@/lib/requests/decide";
import { pickUpRequest } from "@/lib/requests/pickup";
import { createRequestSchema, decideRequestSchema } from "@/lib/requests/schemas";
import { submitRequest } from "@/lib/requests/service";
import type { RequestDeps } from "@/lib/requests/types";
import { sourceIdentityFor } from "@/lib/shortterm/identity";
import { generateShortTermKey, type ShortTermDeps } from "@/lib/shortterm/service";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { createAccountAccess } from "@/lib/accounts/access";
import { memberRoleFromTemplate } from "@/lib/accounts/member-template";
import { addAccountSchema } from "@/lib/accounts/schema";
import { addAccount } from "@/lib/accounts/service";
import { createAwsClients } from "@/lib/aws/clients";
import { generateTraffic, type TrafficSummary } from "@/sandbox/src/traffic/generate";
import { trailFormSchema, updateTrailSettings } from "@/lib/usage/trail-settings";
import { ALL_DOORS } from "@/sandbox/src/traffic/profiles";
import type { GivenKey } from "@/sandbox/src/traffic/identities";
import { DEMO_DOMAIN } from "./accounts";
import { collectingSink } from "@/lib/keys/collecting-sink";
import { seedPostureRisks } from "./posture-risks";

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The member accounts of the demo (issue 14), with keys whose calls are recorded in their own CloudTrail. */
const MEMBER_ACCOUNTS = [
  {
    id: "222233334444",
    name: "Staging",
    externalId: "demo-staging-7f3a",
    keys: [
      { name: "checkout-staging", purpose: "Checkout assistant before release", owner: "dev", team: "Payments", weight: 3 },
      { name: "fraud-rules-staging", purpose: "Fraud explanations, staging", owner: "lead", team: "Payments", weight: 1 },
    ],
  },
  {
    id: "555566667777",
    name: "Research sandbox",
    externalId: "demo-research-2c91",
    keys: [{ name: "research-notebook", purpose: "Evaluation notebooks", owner: "researcher", team: "Research", weight: 2 }],
  },
] as const;

/** A member account in the sandbox's organisation, and its administrator's clients (to deploy the member role). */
async function sandboxAccount(sandboxUrl: string, id: string, name: string) {
  const base = sandboxUrl.replace(/\/+$/, "");
  const res = await fetch(`${base}/_sandbox/accounts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id, name }) });
  if (!res.ok) throw new Error(`sandbox: could not create account ${id}: HTTP ${res.status}`);
  const made = (await res.json()) as { adminAccessKeyId: string; adminSecretAccessKey: string };
  return createAwsClients({ region: "us-east-1", endpoint: base, maxAttempts: 3, credentials: { accessKeyId: made.adminAccessKeyId, secretAccessKey: made.adminSecretAccessKey } });
}

/** The traffic window: the usage dashboard's default range. */
const TRAFFIC_DAYS = 30;

export interface DemoSeedDeps {
  db: PrismaClient;
  iam: IAMClient;
  sts: STSClient;
  /** The sandbox's endpoint: its control API moves its clock, and the traffic goes there. */
  sandboxUrl: string;
  /** AWS_REGION, KEY_IAM_PATH, ALLOWED_EXTRA_POLICIES, KEY_PERMISSIONS_BOUNDARY_ARN as the console has them. */
  region: string;
  keyIamPath: string;
  allowedExtraPolicies: readonly string[];
  permissionsBoundaryArn?: string;
  /** BEDROCK_REGIONS (the first is where short-term keys are made by default). */
  regions: readonly string[];
  /** SHORT_TERM_ROLE_ARN: the signing role must exist (scripts/aws-bootstrap.ts). */
  shortTermRoleArn: string;
  shortTermMaxHours: number;
  appUrl?: string;
  /** Live Bedrock calls over the 30 days (default 300). */
  calls?: number;
  /** Keys made outside the console, as the AWS console makes them, for the admin to adopt (default 5). */
  unmanagedKeys?: number;
  /** Reproducible traffic. */
  seed?: number;
}

export interface DemoSeedSummary {
  /** Set when the database already has demo data: nothing was done. */
  skipped?: "alreadySeeded";
  managedKeys: number;
  requests: number;
  shortTermKeys: number;
  traffic: TrafficSummary | null;
}

/** A key in the story. `daysAgo` is when it was issued; `calls` how its holder uses it (none: never used). */
interface DemoKey {
  name: string;
  owner: string;
  team: "Payments" | "Research";
  purpose: string;
  daysAgo: number;
  ageDays: number;
  models?: string[];
  cidrs?: string[];
  calls?: Omit<GivenKey, "apiKey" | "label">;
}

const HAIKU = ["anthropic.claude-3-5-haiku-20241022-v1:0", "us.anthropic.claude-3-5-haiku-20241022-v1:0"];
const NOVA = ["pro", "lite", "micro"].flatMap((m) => [`amazon.nova-${m}-v1:0`, `us.amazon.nova-${m}-v1:0`, `eu.amazon.nova-${m}-v1:0`]);
const US_ONLY = [["us-east-1", 70], ["us-west-2", 30]] as const;

/** Keys issued by the admin, oldest first. Expiry = issued + ageDays: fraud-scoring and embedding-index expire within a week. */
const ISSUED: DemoKey[] = [
  {
    name: "notebook-prototype",
    owner: "researcher",
    team: "Research",
    purpose: "Jupyter prototypes for retrieval experiments (parked)",
    daysAgo: 48,
    ageDays: 90,
  },
  {
    name: "reconciliation-batch",
    owner: "dev",
    team: "Payments",
    purpose: "Nightly ledger reconciliation (being replaced by checkout-assistant)",
    daysAgo: 40,
    ageDays: 60,
    // A batch that keeps knocking after its key is disabled: the "calls after disable" anomaly.
    calls: { weight: 7 },
  },
  {
    name: "checkout-assistant",
    owner: "dev",
    team: "Payments",
    purpose: "Checkout chat assistant",
    daysAgo: 36,
    ageDays: 90,
    models: HAIKU,
    calls: { weight: 9, onlyModels: /claude-3-5-haiku/, strayShare: 0.05, regions: US_ONLY },
  },
  {
    name: "fraud-scoring",
    owner: "lead",
    team: "Payments",
    purpose: "Fraud-signal scoring from the payments VPC",
    daysAgo: 35,
    ageDays: 39,
    cidrs: ["10.20.0.0/16"],
    calls: { weight: 5, ips: ["10.20.4.17", "10.20.9.203"] },
  },
  {
    name: "eval-harness",
    owner: "researcher",
    team: "Research",
    purpose: "Model evaluation harness (Nova family)",
    daysAgo: 33,
    ageDays: 180,
    models: NOVA,
    calls: { weight: 6, onlyModels: /nova/, strayShare: 0.1, regions: [["us-east-1", 50], ["eu-central-1", 30], ["us-west-2", 20]] },
  },
  {
    name: "embedding-index",
    owner: "researcher",
    team: "Research",
    purpose: "Document summaries for the search index",
    daysAgo: 32,
    ageDays: 36,
    calls: { weight: 3 },
  },
];

type Person = KeyActor & { name: string };

/** The demo organisation's CloudTrail trail in the sandbox's S3 (its management account's bucket). */
export const DEMO_TRAIL = { name: "demo-organization-trail", bucket: "demo-org-cloudtrail-logs", orgId: "o-demoorg0001" } as const;

export async function seedDemoData(deps: DemoSeedDeps): Promise<DemoSeedSummary> {
  const { db } = deps;
  const seeded = (await db.apiKey.count({ where: { managed: true } })) + (await db.keyRequest.count()) + (await db.shortTermIssuance.count());
  if (seeded > 0) return { skipped: "alreadySeeded", managedKeys: 0, requests: 0, shortTermKeys: 0, traffic: null };

  // One offset for both clocks, in whole seconds (the sandbox keeps seconds).
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${deps.sandboxUrl.replace(/\/+$/, "")}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`sandbox control ${path}: HTTP ${res.status}`);
  };
  const travelTo = async (at: number) => {
    offsetMs = Math.round((at - Date.now()) / 1000) * 1000;
    await control("clock", { offsetSeconds: offsetMs / 1000 });
  };
  const t0 = Date.now();
  const daysAgo = (d: number) => t0 - d * DAY;

  const keyDeps: KeyDeps = {
    db,
    iam: deps.iam,
    now,
    region: deps.region,
    keyIamPath: deps.keyIamPath,
    allowedExtraPolicies: deps.allowedExtraPolicies,
    ...(deps.permissionsBoundaryArn ? { permissionsBoundaryArn: deps.permissionsBoundaryArn } : {}),
  };
  const shortTermDeps: ShortTermDeps = {
    db,
    iam: deps.iam,
    sts: deps.sts,
    now,
    roleArn: deps.shortTermRoleArn,
    maxHours: deps.shortTermMaxHours,
    regions: deps.regions,
  };
  const notifyErrors: unknown[] = [];
  const notify: NotifyDeps = { db, now, ...(deps.appUrl ? { appUrl: deps.appUrl } : {}), onError: (e) => notifyErrors.push(e) };
  const requestDeps: RequestDeps = {
    db,
    now,
    configuredExtraPolicies: deps.allowedExtraPolicies,
    shortTermCeilingMinutes: deps.shortTermMaxHours * 60,
    regions: [deps.region, ...deps.regions.filter((r) => r !== deps.region)],
    notify,
    keys: () => keyDeps,
    shortTerm: () => shortTermDeps,
  };

  const people = await loadPeople(db);
  const teams = new Map((await db.team.findMany({ select: { id: true, name: true } })).map((t) => [t.name, t.id]));
  const teamId = (name: string) => {
    const id = teams.get(name);
    if (!id) throw new Error(`demo team ${name} is missing: run scripts/seed-demo.ts first`);
    return id;
  };

  /** Runs a service as `actor` and appends the audit entry its server action would have written. */
  async function audited<T>(action: string, actor: Person, run: (sink: AuditSink) => Promise<T>): Promise<T> {
    const sink = collectingSink();
    const result = await run(sink);
    await appendAudit(
      db,
      {
        action,
        result: "success",
        actorId: actor.id,
        actorEmail: actor.email,
        targetType: sink.target_?.type ?? null,
        targetId: sink.target_?.id ?? null,
        targetLabel: sink.target_?.label ?? null,
        teamId: sink.target_?.teamId ?? null,
        details: { ...sink.details, demoSeed: true },
      },
      now(),
    );
    return result;
  }

  const trafficKeys: GivenKey[] = [];
  const keyIds = new Map<string, string>();
  let shortTermKeys = 0;
  let requests = 0;

  // 1. Keys the admin issued over the past weeks (each on its day, with both clocks moved back).
  for (const k of ISSUED) {
    await travelTo(daysAgo(k.daysAgo));
    const input = issueKeySchema.parse({
      idempotencyToken: randomUUID(),
      name: k.name,
      purpose: k.purpose,
      ownerId: people[k.owner]!.id,
      teamId: teamId(k.team),
      expiry: "custom",
      customDays: k.ageDays,
      extraPolicies: [],
      models: k.models ?? [],
      cidrs: k.cidrs ?? [],
    });
    const reveal = await audited("keys.issue", people.admin!, (sink) => issueLongTermKey(keyDeps, people.admin!, input, sink));
    keyIds.set(k.name, reveal.keyId);
    // The secret goes to the traffic generator (memory only) or nowhere.
    if (k.calls) trafficKeys.push({ apiKey: reveal.secret, label: k.name, ...k.calls });
  }

  // 1b. Three AWS accounts (issue 14): the console's own becomes "Production"; Staging and a team
  // sandbox are member accounts of the sandbox's organisation, with the member role the docs'
  // CloudFormation template defines, registered through the console's own service (which assumes
  // the role with its ExternalId first). Each gets keys, and their traffic lands in its CloudTrail.
  await travelTo(daysAgo(26));
  // The seed reaches the sandbox with the console's IAM and STS clients; the account access needs
  // no CloudTrail or Organizations client for what the seed does (register accounts, issue keys).
  const own = { iam: deps.iam, sts: deps.sts, region: deps.region } as Parameters<typeof createAccountAccess>[0]["own"];
  const access = createAccountAccess({ db, own, clientOptions: { region: deps.region, endpoint: deps.sandboxUrl, maxAttempts: 3 } });
  const ownAccount = await access.ensureDefault();
  await db.awsAccount.update({ where: { id: ownAccount }, data: { name: "Production" } });
  const memberKeyDeps: KeyDeps = { ...keyDeps, accounts: access, iamFor: (id) => access.iamFor(id) };
  for (const m of MEMBER_ACCOUNTS) {
    const made = await sandboxAccount(deps.sandboxUrl, m.id, m.name);
    const role = memberRoleFromTemplate({ accountId: m.id, consoleRoleArn: `arn:aws:iam::${ownAccount}:root`, externalId: m.externalId, keyIamPath: deps.keyIamPath.replace(/^\/|\/$/g, "") });
    await made.iam.send(new CreateRoleCommand({ RoleName: role.roleName, AssumeRolePolicyDocument: role.trustPolicy }));
    for (const p of role.policies) await made.iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: p.name, PolicyDocument: p.document }));
    const input = addAccountSchema.parse({ id: m.id, name: m.name, roleArn: `arn:aws:iam::${m.id}:role/${role.roleName}`, externalId: m.externalId, regions: "" });
    await audited("accounts.add", people.admin!, (sink) => addAccount({ db, access, now, defaultRegions: deps.regions }, input, sink));
    for (const k of m.keys) {
      const reveal = await audited("keys.issue", people.admin!, (sink) =>
        issueLongTermKey(
          memberKeyDeps,
          people.admin!,
          issueKeySchema.parse({ idempotencyToken: randomUUID(), name: k.name, purpose: k.purpose, ownerId: people[k.owner]!.id, teamId: teamId(k.team), accountId: m.id, expiry: "custom", customDays: 90, extraPolicies: [], models: [], cidrs: [] }),
          sink,
        ),
      );
      keyIds.set(k.name, reveal.keyId);
      trafficKeys.push({ apiKey: reveal.secret, label: k.name, weight: k.weight });
    }
  }

  // The organisation trail (issue 19): every account's CloudTrail records, management and data
  // events, delivered to S3 as AWS does; the console reads both LookupEvents and the trail's files
  // (de-duplicated on eventID), so bedrock-mantle's inference calls (data events, which
  // LookupEvents never returns) show on /usage too. Created before any traffic, so it has it all.
  await control("trails", { name: DEMO_TRAIL.name, bucket: DEMO_TRAIL.bucket, orgId: DEMO_TRAIL.orgId });
  const accountIds = (await db.awsAccount.findMany({ select: { id: true } })).map((a) => a.id);
  const trailInput = trailFormSchema.parse({
    version: 0,
    bucket: DEMO_TRAIL.bucket,
    orgId: DEMO_TRAIL.orgId,
    bucketRegion: deps.region,
    sources: Object.fromEntries(accountIds.map((id) => [id, "both"])),
  });
  await audited("usage.trail", people.admin!, (sink) => updateTrailSettings(db, people.admin!, trailInput, sink));

  // 2. A key that came through a request: Dana asks, Lee approves it narrowed, Dana picks it up.
  const invoice = await submit(people.dev!, daysAgo(33), {
    kind: "long-term",
    teamId: teamId("Payments"),
    keyName: "invoice-summaries",
    purpose: "Summaries of supplier invoices for the AP team",
    justification: "The AP team reads 400 invoices a week; a summary line saves them most of it.",
    durationDays: 60,
    models: ["us.anthropic.claude-3-7-sonnet-20250219-v1:0"],
  });
  await decide(people.lead!, daysAgo(32) + 2 * HOUR, {
    requestId: invoice,
    decision: "approve",
    comment: "Approved until the invoice migration ends; ask again if it runs over.",
    approvedDuration: 36,
  });
  await travelTo(daysAgo(31));
  const picked = await audited("requests.pickup", people.dev!, async (sink) => {
    const result = await pickUpRequest(requestDeps, people.dev!, { requestId: invoice }, sink);
    // As the pick-up action does: the key's own history records its issuance too.
    await appendAudit(
      db,
      {
        action: result.keyAudit.action,
        result: "success",
        actorId: people.dev!.id,
        actorEmail: people.dev!.email,
        targetType: result.keyAudit.target?.type ?? null,
        targetId: result.keyAudit.target?.id ?? null,
        targetLabel: result.keyAudit.target?.label ?? null,
        teamId: result.keyAudit.target?.teamId ?? null,
        details: { ...result.keyAudit.details, demoSeed: true },
      },
      now(),
    );
    return result;
  });
  if (picked.kind !== "long-term") throw new Error("expected a long-term key from the pick-up");
  keyIds.set("invoice-summaries", picked.key.keyId);
  trafficKeys.push({ apiKey: picked.key.secret, label: "invoice-summaries", weight: 4, onlyModels: /claude-3-7-sonnet/, strayShare: 0.05, regions: US_ONLY });

  // 3. What happens during the 30 days of traffic, each at its moment.
  const milestones: { at: number; run: () => Promise<void> }[] = [];
  const at = (when: number, run: () => Promise<void>) => milestones.push({ at: when, run: () => travelTo(when).then(run) });
  const shortTerm = (who: Person, region: string, minutes: number) => async () => {
    await audited("shortterm.generate", who, async (sink) => {
      await generateShortTermKey(shortTermDeps, who, { region, expiresInMinutes: minutes }, sink);
      // The token is dropped here: nobody is there to be shown it.
    });
    shortTermKeys += 1;
  };
  at(daysAgo(24), shortTerm(people.dev!, deps.regions[0]!, 60));
  at(daysAgo(20), shortTerm(people.researcher!, deps.regions[0]!, 240));
  at(daysAgo(12), async () => {
    const id = await submit(people.dev!, daysAgo(12), {
      kind: "long-term",
      teamId: teamId("Payments"),
      keyName: "chargeback-agent",
      purpose: "Agent that drafts chargeback responses",
      justification: "Prototype for the disputes team.",
      durationDays: 365,
      models: [],
    });
    await decide(people.lead!, daysAgo(12) + 3 * HOUR, {
      requestId: id,
      decision: "deny",
      comment: "A year with every model is more than a prototype needs: ask for 30 days and Claude 3.5 Haiku.",
    });
  });
  at(daysAgo(9), shortTerm(people.dev!, deps.regions[0]!, 120));
  at(daysAgo(8), shortTerm(people.researcher!, deps.regions[1] ?? deps.regions[0]!, 480));
  // Lee disables the old batch key in favour of checkout-assistant; the batch keeps calling.
  at(daysAgo(6), async () => {
    await audited("keys.disable", people.lead!, (sink) => setKeyStatus(keyDeps, people.lead!, keyIds.get("reconciliation-batch")!, "Inactive", sink));
  });
  let ragBenchmarks = "";
  at(daysAgo(3), async () => {
    ragBenchmarks = await submit(people.researcher!, daysAgo(3), {
      kind: "long-term",
      teamId: teamId("Research"),
      keyName: "rag-benchmarks",
      purpose: "Retrieval benchmark runs against Nova Pro",
      justification: "Quarterly benchmark; the harness key is shared with CI and should stay separate.",
      durationDays: 30,
      models: ["us.amazon.nova-pro-v1:0"],
    });
  });
  at(daysAgo(3) + 4 * HOUR, shortTerm(people.dev!, deps.regions[0]!, 60));
  at(daysAgo(2), async () => {
    // Awaiting Lee's decision when the demo starts.
    await submit(people.dev!, daysAgo(2), {
      kind: "long-term",
      teamId: teamId("Payments"),
      keyName: "dispute-triage",
      purpose: "Triage incoming card disputes with Claude Sonnet 4",
      justification: "Evaluation for Q1: 200 disputes a day are triaged by hand today.",
      durationDays: 90,
      models: ["us.anthropic.claude-sonnet-4-20250514-v1:0"],
    });
  });
  // Research has no lead: the admin decides. Riku has not picked the key up yet.
  at(daysAgo(1), () => decide(people.admin!, daysAgo(1), { requestId: ragBenchmarks, decision: "approve", comment: "Go ahead." }));
  at(daysAgo(1) + 2 * HOUR, shortTerm(people.researcher!, deps.regions[0]!, 120));

  // Requests and decisions touch only the database; each moves the clocks to its own moment.
  async function submit(who: Person, when: number, form: Record<string, unknown>): Promise<string> {
    await travelTo(when);
    const input = createRequestSchema.parse(form);
    const { requestId } = await audited("requests.submit", who, (sink) => submitRequest(requestDeps, who, input, sink));
    requests += 1;
    return requestId;
  }
  async function decide(who: Person, when: number, form: Record<string, unknown>): Promise<void> {
    await travelTo(when);
    const input = decideRequestSchema.parse(form);
    await audited(input.decision === "approve" ? "requests.approve" : "requests.deny", who, (sink) => decideRequest(requestDeps, who, input, sink));
  }

  // 4. The traffic: the managed keys, the developers' short-term keys (signed by the console's
  // role under their names, as their keys are), and keys made outside the console.
  offsetMs = 0;
  await control("clock", { offsetSeconds: 0 });
  // Tokens and cost (issue 15): model invocation logging on (CloudWatch Logs, metadata only) in
  // every region of the member accounts too — the generator switches it on in the own account —
  // so the first sync reads the calls' invocation-log records and the cost views have data.
  for (const m of MEMBER_ACCOUNTS) {
    for (const region of deps.regions) await control(`bedrock/logging?account=${m.id}`, { region });
  }
  const traffic = await generateTraffic({
    endpoint: deps.sandboxUrl,
    days: TRAFFIC_DAYS,
    calls: deps.calls ?? 300,
    // Some of it through the OpenAI- and Anthropic-compatible doors (runtime /openai/v1, mantle).
    apis: ALL_DOORS,
    createUsers: deps.unmanagedKeys ?? 5,
    ...(deps.seed !== undefined ? { seed: deps.seed } : {}),
    keys: trafficKeys,
    signers: [
      { person: sourceIdentityFor(people.dev!), roleArn: deps.shortTermRoleArn, activeFrom: daysAgo(24) },
      { person: sourceIdentityFor(people.researcher!), roleArn: deps.shortTermRoleArn, activeFrom: daysAgo(20) },
    ],
    milestones,
    invocationLogging: true,
  });
  trafficKeys.length = 0;

  // 5. Today: each developer has a short-term key that is still valid.
  offsetMs = 0;
  await control("clock", { offsetSeconds: 0 });
  await shortTerm(people.dev!, deps.regions[0]!, 240)();
  await shortTerm(people.researcher!, deps.regions[0]!, 120)();
  offsetMs = 0;
  await control("clock", { offsetSeconds: 0 });

  // 6. Risky keys made outside the console, so /posture has something to show (issue 16).
  await seedPostureRisks(deps.iam);

  if (notifyErrors.length > 0) throw new Error(`demo seed: ${notifyErrors.length} notification(s) failed`);
  return { managedKeys: keyIds.size, requests, shortTermKeys, traffic };
}

/** The demo accounts as the services see a signed-in person, by their mailbox name (admin, lead, dev, researcher). */
export async function loadPeople(db: PrismaClient): Promise<Record<string, Person>> {
  const rows = await db.user.findMany({
    where: { email: { endsWith: DEMO_DOMAIN }, active: true },
    select: { id: true, email: true, name: true, role: true, memberships: { select: { teamId: true, isLead: true } } },
  });
  const people: Record<string, Person> = {};
  for (const row of rows) {
    people[row.email.slice(0, -DEMO_DOMAIN.length)] = {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role as KeyActor["role"],
      teamIds: row.memberships.map((m) => m.teamId),
      ledTeamIds: row.memberships.filter((m) => m.isLead).map((m) => m.teamId),
    };
  }
  for (const who of ["admin", "lead", "dev", "researcher"]) {
    if (!people[who]) throw new Error(`demo account ${who}${DEMO_DOMAIN} is missing: run scripts/seed-demo.ts first`);
  }
  return people;
}

/** One line for the demo's start-up output. */
export function describeDemoSeed(s: DemoSeedSummary): string {
  if (s.skipped) return "Demo data is already there (delete data/ to start over).";
  const t = s.traffic;
  const traffic = t ? `${t.calls} Bedrock calls over ${TRAFFIC_DAYS} days (${t.calls - t.succeeded} refused or failed)` : "no traffic";
  return `${s.managedKeys} managed keys in Payments and Research, ${s.requests} requests, ${s.shortTermKeys} short-term keys, ${traffic}.`;
}
