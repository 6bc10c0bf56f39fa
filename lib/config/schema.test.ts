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

  it("says a missing required setting is not set", () => {
    expect(() => parseConfig({})).toThrow(/AUTH_SECRET: is required but not set/);
  });

  it("treats empty strings as unset and splits region lists", () => {
    const c = parseConfig({ AUTH_SECRET: SECRET, AWS_ENDPOINT_URL: "", BEDROCK_REGIONS: "us-east-1, us-west-2" });
    expect(c.AWS_ENDPOINT_URL).toBeUndefined();
    expect(c.BEDROCK_REGIONS).toEqual(["us-east-1", "us-west-2"]);
  });
});
