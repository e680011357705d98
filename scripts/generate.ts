// `npm run generate`: rewrites the derived parts of package.json and README.md (rule and host-name tables), the settings file's schema, and docs/rules, from the catalogue.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { RULE_DOCS_DIR } from "../server/src/core/rules/catalogue";
import {
  configurationProperties,
  packageJsonSchema,
  PACKAGE_JSON_SCHEMA_FILE,
  rulePages,
  settingsFileSchema,
  SETTINGS_SCHEMA_FILE,
  withHostRegionTable,
  withRuleTable,
} from "./manifest";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
pkg.contributes.configuration.properties = configurationProperties();
writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
mkdirSync("schemas", { recursive: true });
writeFileSync(SETTINGS_SCHEMA_FILE, JSON.stringify(settingsFileSchema(), null, 2) + "\n");
writeFileSync(PACKAGE_JSON_SCHEMA_FILE, JSON.stringify(packageJsonSchema(), null, 2) + "\n");
writeFileSync("README.md", withHostRegionTable(withRuleTable(readFileSync("README.md", "utf8"))));
const pages = rulePages();
mkdirSync(RULE_DOCS_DIR, { recursive: true });
// A page of a rule that no longer exists goes with it.
for (const name of readdirSync(RULE_DOCS_DIR)) if (name.endsWith(".md") && !pages.has(name)) rmSync(`${RULE_DOCS_DIR}/${name}`);
for (const [name, text] of pages) writeFileSync(`${RULE_DOCS_DIR}/${name}`, text);
console.log(
  `package.json settings, the settings file's schema, README rule and host-name tables and ${pages.size} rule pages in ${RULE_DOCS_DIR} regenerated`,
);
