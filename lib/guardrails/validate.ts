/**
 * Checks a policy against IAM's policy grammar and the size limit of where it goes, before the
 * console hands it out: an SCP with a syntax error would be refused by AWS Organizations
 * (MalformedPolicyDocumentException) — better said here, next to the statement that caused it.
 * The grammar is AWS's "IAM JSON policy element reference" / "grammar of the IAM JSON policy
 * language", with the restrictions that apply to SCPs and boundaries (no Principal elements).
 * IAM Access Analyzer's ValidatePolicy would do more, but it is an AWS call; this runs offline.
 */

type OneOrMany<T> = T | T[];

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: Record<string, Record<string, OneOrMany<string>>>;
  [other: string]: unknown;
}

/** code → message key in "guardrails.issues"; values fill the message. */
export interface ValidationIssue {
  code: string;
  values: Record<string, string | number>;
}

const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const SID = /^[A-Za-z0-9]*$/;
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const RESOURCE = /^(\*|arn:[^:\s]*:[^:\s]*:[^:\s]*:[^:\s]*:.+)$/;
/** Condition operators IAM knows; IfExists and the ForAllValues/ForAnyValue qualifiers wrap them. */
const OPERATORS = new Set([
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
]);
const CONDITION_KEY = /^[A-Za-z0-9-]+:[\x21-\x7E]+$/;

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

export function conditionOperatorKnown(op: string): boolean {
  const base = op.replace(/^(ForAllValues|ForAnyValue):/, "").replace(/IfExists$/, "");
  if (base === "Null" && op !== "Null") return false; // Null takes no qualifier or IfExists
  return OPERATORS.has(base);
}

export function validatePolicy(document: unknown, opts: { kind: "scp" | "boundary"; limit: number; size: number }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (opts.size > opts.limit) issues.push({ code: "tooLarge", values: { size: opts.size, limit: opts.limit } });
  if (typeof document !== "object" || document === null) return [...issues, { code: "notObject", values: {} }];
  const doc = document as Record<string, unknown>;
  if (doc.Version !== "2012-10-17") issues.push({ code: "version", values: {} });
  const statements = asList(doc.Statement);
  if (doc.Statement === undefined || statements.length === 0) issues.push({ code: "noStatement", values: {} });
  const sids = new Set<string>();
  statements.forEach((raw, i) => {
    const n = i + 1;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      issues.push({ code: "statementShape", values: { n } });
      return;
    }
    const st = raw as Record<string, unknown>;
    for (const key of Object.keys(st)) {
      if (key === "Principal" || key === "NotPrincipal") issues.push({ code: "principal", values: { n } });
      else if (!STATEMENT_KEYS.has(key)) issues.push({ code: "unknownElement", values: { n, element: key } });
    }
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== "string" || !SID.test(st.Sid)) issues.push({ code: "sid", values: { n } });
      else if (st.Sid && sids.has(st.Sid)) issues.push({ code: "duplicateSid", values: { n, sid: st.Sid } });
      else if (st.Sid) sids.add(st.Sid);
    }
    if (st.Effect !== "Allow" && st.Effect !== "Deny") issues.push({ code: "effect", values: { n } });
    if ((st.Action === undefined) === (st.NotAction === undefined)) issues.push({ code: "actionElement", values: { n } });
    for (const a of asList(st.Action ?? st.NotAction ?? [])) {
      if (typeof a !== "string" || !ACTION.test(a)) issues.push({ code: "action", values: { n, value: String(a) } });
    }
    if ((st.Resource === undefined) === (st.NotResource === undefined)) issues.push({ code: "resourceElement", values: { n } });
    for (const r of asList(st.Resource ?? st.NotResource ?? [])) {
      if (typeof r !== "string" || !RESOURCE.test(r)) issues.push({ code: "resource", values: { n, value: String(r) } });
    }
    if (st.Condition !== undefined) {
      if (typeof st.Condition !== "object" || st.Condition === null || Array.isArray(st.Condition)) {
        issues.push({ code: "conditionShape", values: { n } });
        return;
      }
      for (const [op, block] of Object.entries(st.Condition as Record<string, unknown>)) {
        if (!conditionOperatorKnown(op)) issues.push({ code: "operator", values: { n, value: op } });
        if (typeof block !== "object" || block === null || Array.isArray(block)) {
          issues.push({ code: "conditionShape", values: { n } });
          continue;
        }
        for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
          if (!CONDITION_KEY.test(key)) issues.push({ code: "conditionKey", values: { n, value: key } });
          const values = asList(value);
          if (values.length === 0 || values.some((v) => typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")) {
            issues.push({ code: "conditionValue", values: { n, value: key } });
          }
          if (op === "Null" && values.some((v) => String(v) !== "true" && String(v) !== "false")) issues.push({ code: "nullValue", values: { n } });
        }
      }
    }
  });
  return issues;
}
