// `npm run generate`: rewrites the derived parts of package.json and README.md from the catalogue.
import { readFileSync, writeFileSync } from "node:fs";
import { configurationProperties, withRuleTable } from "./manifest";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
pkg.contributes.configuration.properties = configurationProperties();
writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
writeFileSync("README.md", withRuleTable(readFileSync("README.md", "utf8")));
console.log("package.json settings and README rule table regenerated");
