import { type AbstractIntlMessages, createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ja from "@/lib/i18n/messages/ja.json";
import ko from "@/lib/i18n/messages/ko.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";
import { AUDIT_ACTION_GROUPS, auditSentence, type SentenceTranslator } from "./sentences";

const CATALOGS = { en, ja, ko, "zh-CN": zhCN } as const;

function translator(locale: keyof typeof CATALOGS): SentenceTranslator {
  const t = createTranslator({
    locale,
    messages: CATALOGS[locale].auditSentences as unknown as AbstractIntlMessages,
    timeZone: "UTC",
    // A missing message or a broken ICU pattern fails the test instead of printing the key.
    onError: (error) => {
      throw error;
    },
  });
  return t as unknown as SentenceTranslator;
}

const names: Record<string, string> = { "ada@example.com": "Ada", "dana@example.com": "Dana" };
const nameOf = (email: string) => names[email] ?? email;

const issue = {
  action: "keys.issue",
  result: "success",
  actorEmail: "ada@example.com",
  targetType: "apiKey",
  targetLabel: "nc-review-key",
  details: JSON.stringify({
    iamUserName: "BedrockAPIKey-nc-review-key-ab12",
    ownerEmail: "dana@example.com",
    team: "Payments",
    ageDays: 90,
    extraPolicies: [],
    restrictions: { models: ["anthropic.claude-3-5-haiku-20241022-v1:0"], cidrs: ["10.0.0.0/8"], notAfter: null },
  }),
};

describe("audit entries as sentences", () => {
  it("reads like the issue asks, with the people's names", () => {
    expect(auditSentence(issue, translator("en"), nameOf)).toBe("Ada issued nc-review-key for Dana (Payments), 90 days, Claude 3.5 Haiku only, from 10.0.0.0/8");
    expect(auditSentence(issue, translator("ja"), nameOf)).toContain("Dana (Payments) 用に nc-review-key を発行しました");
  });

  it("says when and why something failed", () => {
    const failed = { ...issue, result: "failure", details: JSON.stringify({ reason: "forbidden" }) };
    expect(auditSentence(failed, translator("en"), nameOf)).toBe("Ada could not issue nc-review-key — failed: not permitted");
    const signIn = { action: "auth.sign_in", result: "failure", actorEmail: "eve@example.com", targetType: "user", targetLabel: "eve@example.com", details: '{"reason":"locked"}' };
    expect(auditSentence(signIn, translator("en"))).toBe("Failed sign-in as eve@example.com — failed: too many attempts, locked");
  });

  it("falls back to a sentence naming the code for actions it does not know", () => {
    const entry = { action: "future.thing", result: "success", actorEmail: null, targetType: null, targetLabel: "x", details: "not json" };
    expect(auditSentence(entry, translator("en"))).toBe("The console did “future.thing” on x");
  });

  it("reads the details today's bulk, offboarding, price and posture entries write", () => {
    const t = translator("en");
    const entry = (action: string, result: string, targetLabel: string | null, details: object, actorEmail = "ada@example.com") => ({ action, result, actorEmail, targetType: "x", targetLabel, details: JSON.stringify(details) });
    expect(auditSentence(entry("keys.change_owner", "success", "nc-key", { owner: { from: "dana@example.com", to: "ada@example.com" }, bulkId: "b1" }), t, nameOf)).toBe("Ada changed the owner of nc-key from Dana to Ada (bulk action)");
    expect(auditSentence(entry("keys.change_team", "failure", "nc-key", { offboarding: "u1", reason: "bulk.teamNotLed" }), t, nameOf)).toBe("Ada could not move nc-key to another team (offboarding) — failed: the actor does not lead that team");
    expect(auditSentence(entry("keys.bulk", "success", "3", { op: "disable", requested: 3, done: 2, failed: [{ keyId: "k", reason: "conflict" }], skipped: [] }), t, nameOf)).toBe("Ada ran a bulk action (disable) on 3 keys: 2 done, 1 failed, 0 skipped");
    expect(auditSentence(entry("prices.override", "success", "m (all regions)", { before: null, after: { inputPerMTok: 3, outputPerMTok: 15 } }), t, nameOf)).toBe("Ada set the price of m (all regions) to $3 input / $15 output per million tokens");
    expect(auditSentence(entry("posture.remediate", "failure", "BedrockAPIKey-old", { trigger: "schedule", rule: "orphan", change: "deleteUser", error: "keys.cleanupFailed" }, "system"), t, nameOf)).toBe(
      "The console could not delete the orphaned IAM user BedrockAPIKey-old (automatic remediation, scheduled) — failed: the IAM user could not be cleaned up",
    );
  });

  it("renders every action, succeeded and failed, in all four languages", () => {
    for (const locale of Object.keys(CATALOGS) as (keyof typeof CATALOGS)[]) {
      const t = translator(locale);
      for (const { actions } of AUDIT_ACTION_GROUPS) {
        for (const action of actions) {
          for (const result of ["success", "failure"]) {
            const text = auditSentence({ action, result, actorEmail: "ada@example.com", targetType: "x", targetLabel: "T", details: issue.details }, t, nameOf);
            expect(text, `${locale} ${action}`).not.toMatch(/[{}]|auditSentences|actions\./);
            expect(text.length).toBeGreaterThan(3);
          }
        }
      }
    }
  });
});
