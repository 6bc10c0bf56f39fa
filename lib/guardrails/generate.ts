import { mantleModelIds } from "@/lib/keys/restriction-policy";
import { findCatalogueEntry, modelResourceArns } from "@/lib/keys/catalogue";
import { validatePolicy, type PolicyStatement, type ValidationIssue } from "./validate";

/**
 * Guardrails in AWS (issue 16, item 5): from the organisation's key policy, the service control
 * policy (SCP) and the permissions boundary that make AWS itself refuse what the console refuses,
 * for keys made anywhere — the AWS console, the CLI, a script — not only through this console.
 * Pure (no server imports): the page renders the explanations, the route serves the JSON, the
 * tests attach the result to the sandbox's Organizations and watch AWS semantics hold.
 *
 * Facts from AWS's documentation ("Control permissions for generating and using Amazon Bedrock API
 * keys", the Service Authorization Reference, AWS's service-control-policy-examples repository):
 * - long-term keys are made with iam:CreateServiceSpecificCredential; conditions
 *   iam:ServiceSpecificCredentialServiceName and iam:ServiceSpecificCredentialAgeDays. A key made
 *   with no expiry carries no age in the request, and a Numeric condition on a missing key does
 *   not match — so "longer than N days" alone lets never-expiring keys through; a Null check
 *   closes that;
 * - using a key (either kind) needs bedrock:CallWithBearerToken on the runtime and
 *   bedrock-mantle:CallWithBearerToken on the OpenAI/Anthropic-compatible endpoint (issue 19):
 *   to refuse key use, deny both; bedrock:BearerTokenType / bedrock-mantle:BearerTokenType say
 *   which kind (SHORT_TERM | LONG_TERM);
 * - short-term keys cannot be prevented from being generated, only from being used.
 */

export const BEDROCK_SERVICE_NAME = "bedrock.amazonaws.com";
/** AWS Organizations: "The maximum size of a policy document for SCPs is 5,120 characters." */
export const SCP_SIZE_LIMIT = 5_120;
/** IAM managed policies (a permissions boundary is one): 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_SIZE_LIMIT = 6_144;
export const SCP_NAME = "BedrockKeyGuardrails";
// The name docs/aws-permissions.md uses for KEY_PERMISSIONS_BOUNDARY_ARN.
export const BOUNDARY_NAME = "BedrockKeyConsoleBoundary";

const BEARER_ACTIONS = ["bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"];
/** What a key's IAM user may do at most: call models (runtime and mantle) and read their list. */
const RUNTIME_INVOKE = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];
const RUNTIME_READ = ["bedrock:GetFoundationModel", "bedrock:ListFoundationModels", "bedrock:GetInferenceProfile", "bedrock:ListInferenceProfiles"];
const MANTLE_READ = ["bedrock-mantle:ListModels", "bedrock-mantle:GetModel"];

/** What the generator reads: the org policy plus the deployment's facts. */
export interface GuardrailInputs {
  /** The org policy's maximum key age; null = no maximum (no age statements then). */
  maxKeyAgeDays: number | null;
  /** Catalogue ids; [] = every model. */
  allowedModels: readonly string[];
  /** Regions keys may be used in (BEDROCK_REGIONS plus every account's regions). */
  regions: readonly string[];
  /** Principal ARNs the console creates keys as (its role per account); may hold wildcards. */
  consolePrincipalArns: readonly string[];
}

/** Choices the admin makes on the page. */
export interface GuardrailOptions {
  /** Short-term keys only: deny creating long-term keys and using them, everywhere. */
  denyLongTerm: boolean;
  /** Extra statements an admin adds to the SCP, as JSON text (one statement or an array). */
  customStatements: string;
}

export const DEFAULT_OPTIONS: GuardrailOptions = { denyLongTerm: false, customStatements: "" };

/** One statement, with the message key (namespace "guardrails.explain") that says what it does. */
export interface ExplainedStatement {
  statement: PolicyStatement;
  explain: string;
  values: Record<string, string | number>;
}

/** Something the generator could not express, shown beside the policy (not an error). */
export interface GuardrailNote {
  key: string;
  values?: Record<string, string | number>;
}

export interface GeneratedPolicy {
  kind: "scp" | "boundary";
  name: string;
  statements: ExplainedStatement[];
  /** Compact JSON, as it would be pasted into AWS. */
  json: string;
  /** Pretty JSON, as downloaded. */
  pretty: string;
  size: number;
  limit: number;
  issues: ValidationIssue[];
  notes: GuardrailNote[];
}

const list = (values: readonly string[]) => [...values].join(", ");

/** The SCP: what AWS refuses in every member account the policy is attached to. */
export function buildScp(inputs: GuardrailInputs, options: GuardrailOptions = DEFAULT_OPTIONS): GeneratedPolicy {
  const statements: ExplainedStatement[] = [];
  const notes: GuardrailNote[] = [];
  const bedrockKeys = { StringEquals: { "iam:ServiceSpecificCredentialServiceName": BEDROCK_SERVICE_NAME } };
  if (options.denyLongTerm) {
    statements.push({
      explain: "denyLongTermCreate",
      values: {},
      statement: { Sid: "DenyCreatingLongTermBedrockKeys", Effect: "Deny", Action: "iam:CreateServiceSpecificCredential", Resource: "*", Condition: bedrockKeys },
    });
    statements.push({
      explain: "denyLongTermUse",
      values: {},
      statement: {
        Sid: "DenyUsingLongTermBedrockKeys",
        Effect: "Deny",
        Action: "bedrock:CallWithBearerToken",
        Resource: "*",
        Condition: { StringEquals: { "bedrock:BearerTokenType": "LONG_TERM" } },
      },
    });
    statements.push({
      explain: "denyLongTermUseMantle",
      values: {},
      statement: {
        Sid: "DenyUsingLongTermBedrockKeysOnMantle",
        Effect: "Deny",
        Action: "bedrock-mantle:CallWithBearerToken",
        Resource: "*",
        Condition: { StringEquals: { "bedrock-mantle:BearerTokenType": "LONG_TERM" } },
      },
    });
  } else {
    if (inputs.maxKeyAgeDays !== null) {
      statements.push({
        explain: "denyNoExpiry",
        values: {},
        statement: {
          Sid: "DenyBedrockKeysWithoutExpiry",
          Effect: "Deny",
          Action: "iam:CreateServiceSpecificCredential",
          Resource: "*",
          // Null true = the request carries no age: the key would never expire.
          Condition: { ...bedrockKeys, Null: { "iam:ServiceSpecificCredentialAgeDays": "true" } },
        },
      });
      statements.push({
        explain: "denyTooOld",
        values: { days: inputs.maxKeyAgeDays },
        statement: {
          Sid: "DenyBedrockKeysOverMaxAge",
          Effect: "Deny",
          Action: "iam:CreateServiceSpecificCredential",
          Resource: "*",
          Condition: { ...bedrockKeys, NumericGreaterThan: { "iam:ServiceSpecificCredentialAgeDays": String(inputs.maxKeyAgeDays) } },
        },
      });
    } else {
      notes.push({ key: "noMaxAge" });
    }
    if (inputs.consolePrincipalArns.length > 0) {
      statements.push({
        explain: "denyOutsideConsole",
        values: { principals: list(inputs.consolePrincipalArns) },
        statement: {
          Sid: "DenyBedrockKeysOutsideConsole",
          Effect: "Deny",
          Action: "iam:CreateServiceSpecificCredential",
          Resource: "*",
          Condition: { ...bedrockKeys, ArnNotLike: { "aws:PrincipalArn": [...inputs.consolePrincipalArns] } },
        },
      });
    } else {
      notes.push({ key: "noConsolePrincipal" });
    }
  }
  if (inputs.regions.length > 0) {
    statements.push({
      explain: "denyOtherRegions",
      values: { regions: list(inputs.regions) },
      statement: {
        Sid: "DenyBearerTokenCallsOutsideRegions",
        Effect: "Deny",
        Action: [...BEARER_ACTIONS],
        Resource: "*",
        Condition: { StringNotEquals: { "aws:RequestedRegion": [...inputs.regions] } },
      },
    });
  }
  const custom = parseCustomStatements(options.customStatements);
  const issues: ValidationIssue[] = [];
  if (custom.error) issues.push(custom.error);
  for (const st of custom.statements) statements.push({ explain: "custom", values: { sid: st.Sid ?? "" }, statement: st });
  if (statements.length === 0) notes.push({ key: "nothingToDeny" });
  return finish("scp", SCP_NAME, statements, notes, SCP_SIZE_LIMIT, issues);
}

/**
 * The permissions boundary for the IAM users behind long-term keys: the most such a user may ever
 * do, whatever is attached to it later — call the allowed models in the allowed regions through
 * both endpoints. Everything else (IAM, access keys, other services) falls outside the boundary,
 * so a key user given an access key cannot pivot into the account (issue 16's pivot risk).
 */
export function buildBoundary(inputs: GuardrailInputs): GeneratedPolicy {
  const statements: ExplainedStatement[] = [];
  const notes: GuardrailNote[] = [];
  const inRegions = inputs.regions.length > 0 ? { StringEquals: { "aws:RequestedRegion": [...inputs.regions] } } : undefined;
  const regionValues = { regions: inputs.regions.length > 0 ? list(inputs.regions) : "*" };
  const modelArns = [...new Set(inputs.allowedModels.flatMap((id) => modelResourceArns(id)))];
  const restricted = inputs.allowedModels.length > 0 && modelArns.length > 0;
  statements.push({
    explain: "boundaryBearer",
    values: regionValues,
    statement: { Sid: "UseBedrockApiKeys", Effect: "Allow", Action: [...BEARER_ACTIONS, ...RUNTIME_READ, ...MANTLE_READ], Resource: "*", ...(inRegions ? { Condition: inRegions } : {}) },
  });
  statements.push({
    explain: restricted ? "boundaryModels" : "boundaryAnyModel",
    values: { ...regionValues, count: inputs.allowedModels.length },
    statement: { Sid: "InvokeAllowedModels", Effect: "Allow", Action: RUNTIME_INVOKE, Resource: restricted ? modelArns : "*", ...(inRegions ? { Condition: inRegions } : {}) },
  });
  statements.push({
    explain: restricted ? "boundaryMantleModels" : "boundaryMantleAnyModel",
    values: regionValues,
    statement: {
      Sid: "InvokeAllowedModelsOnMantle",
      Effect: "Allow",
      Action: "bedrock-mantle:CreateInference",
      Resource: "*",
      ...(restricted || inRegions
        ? {
            Condition: {
              ...(inRegions ?? {}),
              ...(restricted ? { StringEquals: { ...(inRegions?.StringEquals ?? {}), "bedrock-mantle:Model": mantleModelIds(inputs.allowedModels) } } : {}),
            },
          }
        : {}),
    },
  });
  // Ids neither AWS listed nor the built-in list knows are still allowed, by AWS's id format
  // (modelResourceArns): say so, since a typo would allow nothing useful.
  if (inputs.allowedModels.some((id) => findCatalogueEntry(id) === undefined)) notes.push({ key: "unknownModels" });
  notes.push({ key: "boundaryAttach" });
  return finish("boundary", BOUNDARY_NAME, statements, notes, MANAGED_POLICY_SIZE_LIMIT, []);
}

function finish(kind: GeneratedPolicy["kind"], name: string, statements: ExplainedStatement[], notes: GuardrailNote[], limit: number, issues: ValidationIssue[]): GeneratedPolicy {
  const document = { Version: "2012-10-17", Statement: statements.map((s) => s.statement) };
  const json = JSON.stringify(document);
  const pretty = JSON.stringify(document, null, 2);
  // SCPs count every character of the stored document when saved through the API or CLI (AWS's
  // console strips whitespace first), so the compact form is what is measured and, when the
  // pretty one would not fit, what is handed out; IAM managed policies do not count whitespace.
  const size = kind === "scp" ? json.length : json.replace(/\s/g, "").length;
  return { kind, name, statements, json, pretty, size, limit, issues: [...issues, ...validatePolicy(document, { kind, limit, size })], notes };
}

/** Admin-added statements: empty → none; otherwise JSON of one statement or an array of them. */
export function parseCustomStatements(text: string): { statements: PolicyStatement[]; error?: ValidationIssue } {
  const trimmed = text.trim();
  if (!trimmed) return { statements: [] };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    return { statements: [], error: { code: "customJson", values: { detail: (e as Error).message } } };
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.some((v) => typeof v !== "object" || v === null || Array.isArray(v))) {
    return { statements: [], error: { code: "customShape", values: {} } };
  }
  return { statements: items as PolicyStatement[] };
}

/** Whether a generated policy may be handed out (downloaded, copied): no validation issue. */
export function isDeliverable(p: GeneratedPolicy): boolean {
  return p.issues.length === 0;
}
