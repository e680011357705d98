// `npm run fuzz`: 150,000 cases over the core (FUZZ_RUNS per property, 25,000 by default).
import fc from "fast-check";
import { checkAllSeeds, PROPERTIES } from "./properties";

const runs = Number(process.env.FUZZ_RUNS ?? 25_000);
const seed = Number(process.env.FUZZ_SEED ?? 20261123);
checkAllSeeds();
let total = 0;
let failed = 0;
for (const [name, property] of Object.entries(PROPERTIES)) {
  const start = performance.now();
  try {
    fc.assert(property as fc.IPropertyWithHooks<unknown>, { numRuns: runs, seed });
    console.log(`ok   ${name}: ${runs} cases in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n${String(error)}`);
  }
  total += runs;
}
console.log(`${total} cases (seed ${seed})`);
console.log(`${Object.keys(PROPERTIES).length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
