// `npm run generate`: rewrites the derived parts of package.json and README.md from the catalogue.
import { readFileSync, writeFileSync } from "node:fs";
import { configurationProperties, withHostRegionTable, withRuleTable } from "./manifest";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
pkg.contributes.configuration.properties = configurationProperties();
writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
writeFileSync("README.md", withHostRegionTable(withRuleTable(readFileSync("README.md", "utf8"))));
console.log("package.json settings, README rule table and host-name table regenerated");
