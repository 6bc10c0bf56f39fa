import { describe, expect, it } from "vitest";
import { secretShapesIn } from "./secret-shapes";

const longTerm = "ABSK" + Buffer.from(`BedrockAPIKey-ci-at-123456789012:${"k".repeat(40)}`).toString("base64");
const shortTerm = "bedrock-api-key-" + Buffer.from("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Signature=abc").toString("base64");

describe("secretShapesIn", () => {
  it("finds long-term and short-term keys in text and in bytes", () => {
    expect(secretShapesIn(`{"detail":"${longTerm}"}`)).toEqual([`${longTerm.slice(0, 24)}… at 11`]);
    expect(secretShapesIn(Buffer.concat([Buffer.from([0, 255, 7]), Buffer.from(shortTerm)]))).toHaveLength(1);
    // Stored without its padding, or cut short but still carrying the alias: still found.
    expect(secretShapesIn(longTerm.replace(/=+$/, "").slice(0, 40))).toHaveLength(1);
  });

  it("does not take an IAM id that happens to hold ABSK for a key", () => {
    // Real shapes from the sandbox's alphabet (A–Z, 2–7): a credential id and a user id.
    const ids = ["ACCAABSKQ7Z2MNOPQRSTU", "AIDAXYZ23ABSK4567ABCD", "ACCA2345ABCDEFGHABSK7"];
    expect(secretShapesIn(JSON.stringify({ ids, csv: ids.join(",") }))).toEqual([]);
    expect(secretShapesIn("ABSK")).toEqual([]);
  });
});
