import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editDistance } from "../../server/src/core/strings";
import { allRegions, closestRegions, findRegion, providerLabel, regionId, type CloudProvider } from "../../server/src/core/data/regions";

function count(provider: CloudProvider): number {
  return allRegions().filter((r) => r.provider === provider).length;
}

describe("cloud region data", () => {
  it("has every provider's public regions", () => {
    assert.ok(count("aws") >= 30, `aws: ${count("aws")}`);
    assert.ok(count("gcp") >= 40, `gcp: ${count("gcp")}`);
    assert.ok(count("azure") >= 50, `azure: ${count("azure")}`);
  });

  it("has no duplicate ids and no empty fields", () => {
    const ids = allRegions().map(regionId);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of allRegions()) {
      assert.match(r.code, /^[a-z0-9-]+$/, regionId(r));
      assert.ok(r.name.trim() !== "" && r.location.trim() !== "", regionId(r));
    }
  });

  it("finds known regions with their location", () => {
    assert.deepEqual(findRegion("aws:us-east-1"), {
      provider: "aws",
      code: "us-east-1",
      name: "US East (N. Virginia)",
      location: "Northern Virginia, United States",
      lat: 39.04,
      lng: -77.49,
    });
    assert.equal(findRegion("aws:eu-central-1")?.name, "Europe (Frankfurt)");
    assert.equal(findRegion("aws:eu-central-1")?.location, "Frankfurt, Germany");
    assert.equal(findRegion("aws:ap-southeast-7")?.name, "Asia Pacific (Thailand)");
    assert.equal(findRegion("aws:mx-central-1")?.location, "Querétaro, Mexico");
    assert.equal(findRegion("aws:ca-west-1")?.location, "Calgary, Canada");
    assert.equal(findRegion("aws:ap-east-2")?.location, "Taipei, Taiwan");
    assert.equal(findRegion("gcp:us-east4")?.location, "Ashburn, Virginia, United States");
    assert.equal(findRegion("gcp:europe-west8")?.location, "Milan, Italy");
    assert.equal(findRegion("gcp:africa-south1")?.location, "Johannesburg, South Africa");
    assert.equal(findRegion("gcp:northamerica-south1")?.location, "Querétaro, Mexico");
    assert.equal(findRegion("azure:westeurope")?.name, "West Europe");
    assert.equal(findRegion("azure:westeurope")?.location, "Netherlands");
    assert.equal(findRegion("azure:swedencentral")?.location, "Gävle, Sweden");
    assert.equal(findRegion("azure:eastus")?.location, "Virginia, United States");
  });

  it("is exact: no case folding, no missing provider, no sovereign clouds", () => {
    assert.equal(findRegion("AWS:US-EAST-1"), undefined);
    assert.equal(findRegion("us-east-1"), undefined);
    assert.equal(findRegion("aws:us-gov-west-1"), undefined);
    assert.equal(findRegion("aws:cn-north-1"), undefined);
    assert.equal(findRegion("azure:usgovvirginia"), undefined);
    assert.equal(findRegion("azure:chinaeast2"), undefined);
    assert.equal(findRegion("gcp:us-east-1"), undefined);
  });

  it("labels the providers", () => {
    assert.equal(providerLabel("aws"), "Amazon Web Services");
    assert.equal(providerLabel("gcp"), "Google Cloud");
    assert.equal(providerLabel("azure"), "Microsoft Azure");
  });
});

describe("closestRegions", () => {
  it("fixes separators and case", () => {
    assert.deepEqual(closestRegions("aws:us-east1"), ["aws:us-east-1"]);
    assert.deepEqual(closestRegions("gcp:europe-west-8"), ["gcp:europe-west8"]);
    assert.deepEqual(closestRegions("AWS:US-EAST-1"), ["aws:us-east-1"]);
    assert.deepEqual(closestRegions("azure:west-europe"), ["azure:westeurope"]);
    assert.deepEqual(closestRegions("azure:West Europe"), ["azure:westeurope"]);
    assert.deepEqual(closestRegions(" gcp:us-east4 "), ["gcp:us-east4"]);
  });

  it("adds a missing provider, the exact code first", () => {
    assert.deepEqual(closestRegions("us-east-1"), ["aws:us-east-1", "gcp:us-east1"]);
    assert.deepEqual(closestRegions("us-east1"), ["gcp:us-east1", "aws:us-east-1"]);
    assert.deepEqual(closestRegions("westeurope"), ["azure:westeurope"]);
    assert.deepEqual(closestRegions("europe-west8"), ["gcp:europe-west8"]);
    assert.deepEqual(closestRegions("aws/eu-west-1"), ["aws:eu-west-1"]);
  });

  it("recognises provider aliases and misspellings", () => {
    assert.deepEqual(closestRegions("amazon:us-east-1"), ["aws:us-east-1"]);
    assert.deepEqual(closestRegions("google:us-east4"), ["gcp:us-east4"]);
    assert.deepEqual(closestRegions("gpc:us-east4"), ["gcp:us-east4"]);
    assert.deepEqual(closestRegions("azrue:eastus2"), ["azure:eastus2"]);
  });

  it("moves a code to the provider that has it", () => {
    assert.deepEqual(closestRegions("aws:europe-west8"), ["gcp:europe-west8"]);
    assert.deepEqual(closestRegions("gcp:westeurope"), ["azure:westeurope"]);
  });

  it("suggests codes a small typo away, closest first", () => {
    assert.deepEqual(closestRegions("aws:us-eats-1"), ["aws:us-east-1"]);
    assert.deepEqual(closestRegions("azure:westeurpoe"), ["azure:westeurope"]);
    assert.deepEqual(closestRegions("azure:swedencentrl"), ["azure:swedencentral"]);
    assert.equal(closestRegions("aws:eu-central-3")[0], "aws:eu-central-1");
    assert.equal(closestRegions("aws:us-east-1a")[0], "aws:us-east-1");
    assert.equal(closestRegions("gcp:us-central1-a")[0], "gcp:us-central1");
    assert.ok(closestRegions("gcp:europe-west").length <= 3);
    assert.deepEqual(closestRegions("aws:eu-central-3", 1), ["aws:eu-central-1"]);
  });

  it("gives nothing for nonsense", () => {
    assert.deepEqual(closestRegions("foo:bar"), []);
    assert.deepEqual(closestRegions("xyz"), []);
    assert.deepEqual(closestRegions(""), []);
    assert.deepEqual(closestRegions("aws:"), []);
    assert.deepEqual(closestRegions("aws:mars-north-1"), []);
    assert.deepEqual(closestRegions("https://db.example.com"), []);
  });

  it("returns a valid id unchanged", () => {
    assert.deepEqual(closestRegions("azure:eastus"), ["azure:eastus"]);
  });
});

describe("editDistance", () => {
  it("counts edits, a swap of neighbours as one", () => {
    assert.equal(editDistance("", ""), 0);
    assert.equal(editDistance("abc", ""), 3);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("useast1", "useats1"), 1);
    assert.equal(editDistance("abc", "abc"), 0);
  });
});
