import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./schema";

const SECRET = "x".repeat(40);

describe("parseConfig", () => {
  it("applies defaults for an otherwise empty environment", () => {
    const c = parseConfig({ AUTH_SECRET: SECRET });
    expect(c.DATABASE_URL).toBe("file:./data/console.db");
    expect(c.SESSION_MAX_AGE_HOURS).toBe(8);
    expect(c.BEDROCK_REGIONS).toEqual(["us-east-1"]);
  });

  it("lists every problem in one message with how to fix it", () => {
    let error: unknown;
    try {
      parseConfig({ AUTH_SECRET: "short", AWS_REGION: "mars-1", SESSION_MAX_AGE_HOURS: "zero", DATABASE_URL: "mysql://x" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const key of ["AUTH_SECRET", "AWS_REGION", "SESSION_MAX_AGE_HOURS", "DATABASE_URL"]) expect(message).toContain(key);
    expect(message).toContain(".env.local.example");
  });

  it("reads the single sign-on settings and refuses incomplete or contradictory ones", () => {
    const c = parseConfig({
      AUTH_SECRET: SECRET,
      OIDC_ISSUER: "https://idp.example.com",
      OIDC_CLIENT_ID: "console",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_GROUP_MAPPINGS: '[{"group":"admins","role":"admin"},{"group":"pay","role":"lead","leads":["Payments"]}]',
      LOCAL_SIGNIN: "off",
      BREAK_GLASS_EMAILS: " Root@Example.com ,ops@example.com",
    });
    expect(c).toMatchObject({ OIDC_SCOPES: "openid email profile", OIDC_GROUPS_CLAIM: "groups", OIDC_DISPLAY_NAME: "SSO", LOCAL_SIGNIN: "off", BREAK_GLASS_EMAILS: ["root@example.com", "ops@example.com"] });
    expect(c.OIDC_GROUP_MAPPINGS).toEqual([
      { group: "admins", role: "admin", teams: [], leads: [] },
      { group: "pay", role: "lead", teams: [], leads: ["Payments"] },
    ]);
    expect(parseConfig({ AUTH_SECRET: SECRET }).LOCAL_SIGNIN).toBe("on");
    expect(() => parseConfig({ AUTH_SECRET: SECRET, OIDC_ISSUER: "https://idp.example.com" })).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: are required/);
    expect(() => parseConfig({ AUTH_SECRET: SECRET, LOCAL_SIGNIN: "off" })).toThrow(/LOCAL_SIGNIN: off needs OIDC_ISSUER/);
    expect(() => parseConfig({ AUTH_SECRET: SECRET, OIDC_GROUP_MAPPINGS: "not json" })).toThrow(/OIDC_GROUP_MAPPINGS: must be JSON/);
    expect(() => parseConfig({ AUTH_SECRET: SECRET, OIDC_GROUP_MAPPINGS: '[{"group":"a","role":"owner"}]' })).toThrow(/OIDC_GROUP_MAPPINGS/);
    expect(() => parseConfig({ AUTH_SECRET: SECRET, OIDC_GROUP_MAPPINGS: '[{"group":"a","role":"admin"},{"group":"a","role":"lead"}]' })).toThrow(/each group once/);
    expect(() => parseConfig({ AUTH_SECRET: SECRET, OIDC_SCOPES: "email profile" })).toThrow(/must include openid/);
    expect(() => parseConfig({ AUTH_SECRET: SECRET, BREAK_GLASS_EMAILS: "not-an-email" })).toThrow(/BREAK_GLASS_EMAILS/);
  });

  it("says a missing required setting is not set", () => {
    expect(() => parseConfig({})).toThrow(/AUTH_SECRET: is required but not set/);
  });

  it("treats empty strings as unset and splits region lists", () => {
    const c = parseConfig({ AUTH_SECRET: SECRET, AWS_ENDPOINT_URL: "", BEDROCK_REGIONS: "us-east-1, us-west-2" });
    expect(c.AWS_ENDPOINT_URL).toBeUndefined();
    expect(c.BEDROCK_REGIONS).toEqual(["us-east-1", "us-west-2"]);
  });
});

describe("key settings (issue 4)", () => {
  it("has safe defaults", () => {
    const c = parseConfig({ AUTH_SECRET: SECRET });
    expect(c.KEY_IAM_PATH).toBe("/bedrock-key-console/");
    expect(c.ALLOWED_EXTRA_POLICIES).toEqual(["AmazonBedrockMarketplaceAccess"]);
    expect(c.INVENTORY_REFRESH_MINUTES).toBe(15);
    expect(c.SHORT_TERM_ROLE_ARN).toBeUndefined();
    expect(c.SHORT_TERM_MAX_HOURS).toBe(12);
    expect(c.AWS_MAX_ATTEMPTS).toBe(5);
  });

  it("parses lists and ARNs and refuses bad values with the setting's name", () => {
    const c = parseConfig({
      AUTH_SECRET: SECRET,
      ALLOWED_EXTRA_POLICIES: "AmazonBedrockMarketplaceAccess, AmazonBedrockReadOnly",
      SHORT_TERM_ROLE_ARN: "arn:aws:iam::123456789012:role/bedrock-key-console/BedrockKeyConsoleShortTerm",
      INVENTORY_REFRESH_MINUTES: "0",
    });
    expect(c.ALLOWED_EXTRA_POLICIES).toEqual(["AmazonBedrockMarketplaceAccess", "AmazonBedrockReadOnly"]);
    expect(c.INVENTORY_REFRESH_MINUTES).toBe(0);
    for (const [key, value] of [
      ["KEY_IAM_PATH", "no-slashes"],
      ["SHORT_TERM_ROLE_ARN", "arn:aws:iam::123:user/x"],
      ["SHORT_TERM_MAX_HOURS", "13"],
      ["ALLOWED_EXTRA_POLICIES", "arn:aws:iam::aws:policy/X"],
      ["KEY_PERMISSIONS_BOUNDARY_ARN", "BedrockKeyConsoleBoundary"],
    ]) {
      expect(() => parseConfig({ AUTH_SECRET: SECRET, [key!]: value })).toThrow(key);
    }
  });
});
