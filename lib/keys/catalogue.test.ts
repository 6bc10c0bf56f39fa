import { afterEach, describe, expect, it } from "vitest";
import { type CatalogueEntry, catalogueForRegion, findCatalogueEntry, isKnownModelId, modelLabel, modelResourceArns, setLiveCatalogue, uniqueById } from "./catalogue";

const profile = (id: string, extra: Partial<CatalogueEntry> & { region?: string } = {}): CatalogueEntry & { region: string } => ({
  id,
  label: `${id} label`,
  kind: "inference-profile",
  modelId: id.slice(id.indexOf(".") + 1),
  provider: "Anthropic",
  geography: id.slice(0, id.indexOf(".")),
  region: "us-east-1",
  ...extra,
});

afterEach(() => setLiveCatalogue([]));

describe("the live catalogue", () => {
  it("a model gone in one region but listed in another is not gone; gone ones stay findable but are not offered", () => {
    const live = [
      profile("global.anthropic.new-v1:0", { gone: true, region: "eu-west-1" }),
      profile("global.anthropic.new-v1:0"),
      profile("jp.anthropic.old-v1:0", { gone: true, region: "ap-northeast-1" }),
    ];
    expect(uniqueById(live).map((e) => [e.id, e.gone ?? false])).toEqual([
      ["global.anthropic.new-v1:0", false],
      ["jp.anthropic.old-v1:0", true],
    ]);
    setLiveCatalogue(live);
    expect(catalogueForRegion("us-east-1").map((e) => e.id)).toEqual(["global.anthropic.new-v1:0"]);
    expect(catalogueForRegion("eu-west-1").map((e) => e.id)).not.toContain("global.anthropic.new-v1:0");
    expect(catalogueForRegion("ap-northeast-1").some((e) => e.id === "jp.anthropic.old-v1:0")).toBe(false);
    expect(isKnownModelId("jp.anthropic.old-v1:0")).toBe(true);
    expect(findCatalogueEntry("jp.anthropic.old-v1:0")?.gone).toBe(true);
    expect(modelLabel("arn:aws:bedrock:ap-northeast-1:123456789012:inference-profile/jp.anthropic.old-v1:0")).toBe("jp.anthropic.old-v1:0 label");
  });

  it("the fallback still serves a region nothing was read for, and its ids stay known", () => {
    setLiveCatalogue([profile("global.anthropic.new-v1:0")]);
    expect(catalogueForRegion("eu-central-1").some((e) => e.id === "eu.amazon.nova-pro-v1:0")).toBe(true);
    expect(isKnownModelId("us.anthropic.claude-3-5-haiku-20241022-v1:0")).toBe(true);
    expect(modelLabel("amazon.nova-pro-v1:0")).toBe("Nova Pro");
  });

  it("names a base model AWS lists only through its inference profiles after the profile, without the geography", () => {
    setLiveCatalogue([
      { id: "us.anthropic.claude-z-v1:0", label: "US Anthropic Claude Z", kind: "inference-profile", modelId: "anthropic.claude-z-v1:0", provider: "", geography: "us", region: "us-east-1" } as CatalogueEntry & { region: string },
      { id: "eu.amazon.nova-z-v1:0", label: "Nova Z (EU cross-region)", kind: "inference-profile", modelId: "amazon.nova-z-v1:0", provider: "Amazon", geography: "eu", region: "eu-west-1" } as CatalogueEntry & { region: string },
    ]);
    expect(modelLabel("anthropic.claude-z-v1:0")).toBe("Anthropic Claude Z");
    expect(modelLabel("arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-z-v1:0")).toBe("Nova Z");
    expect(modelLabel("us.anthropic.claude-z-v1:0")).toBe("US Anthropic Claude Z");
    expect(modelLabel("meta.unknown-v1:0")).toBe("meta.unknown-v1:0");
  });

  it("ARNs for ids the console never saw follow AWS's id format (profiles by their geography prefix)", () => {
    expect(modelResourceArns("au.anthropic.claude-x-v1:0")).toEqual(["arn:aws:bedrock:*:*:inference-profile/au.anthropic.claude-x-v1:0", "arn:aws:bedrock:*::foundation-model/anthropic.claude-x-v1:0"]);
    expect(modelResourceArns("meta.llama9-v1:0")).toEqual(["arn:aws:bedrock:*::foundation-model/meta.llama9-v1:0"]);
  });
});
