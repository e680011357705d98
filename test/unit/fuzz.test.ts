import { describe, it } from "node:test";
import fc from "fast-check";
import { checkAllSeeds, PROPERTIES } from "../fuzz/properties";

/** A few thousand fuzz cases in every test run; `npm run fuzz` runs 150,000. */
describe("fuzz (core never throws, output well-formed, fixes apply cleanly)", () => {
  it("every quick fix on every fixture applies cleanly", () => checkAllSeeds());
  for (const [name, property] of Object.entries(PROPERTIES)) {
    it(name, () => fc.assert(property as fc.IPropertyWithHooks<unknown>, { numRuns: 750, seed: 42 }));
  }
});
