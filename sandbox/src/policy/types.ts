/**
 * Shapes of IAM identity policies as they arrive from the core (parsed JSON). The fields are kept
 * loose on purpose: the evaluator must cope with any document IAM accepted (single statement
 * objects, string-or-array elements, non-string condition values) rather than trust a schema.
 */

export type OneOrMany<T> = T | readonly T[];

export type ConditionValue = string | number | boolean;

/** `{ "<Operator>": { "<key>": value | [values] } }` */
export type ConditionBlock = Record<string, Record<string, OneOrMany<ConditionValue>>>;

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: ConditionBlock;
  /** Only meaningful in resource policies; identity policies ignore it. */
  Principal?: unknown;
  NotPrincipal?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: OneOrMany<PolicyStatement>;
}

/** Request context: condition key → value. Multi-valued keys are arrays. Keys are case-insensitive. */
export type RequestContext = Record<string, string | readonly string[]>;

export interface EvaluationRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

export interface MatchedStatement {
  policyIndex: number;
  statementIndex: number;
  sid?: string;
  effect: "Allow" | "Deny";
}

export interface EvaluationResult {
  decision: Decision;
  /** The deciding statement: the first matching Deny, else the first matching Allow. */
  matchedStatement?: MatchedStatement;
}
