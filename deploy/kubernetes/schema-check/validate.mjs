// Validates every document of deploy/kubernetes against the Kubernetes API's JSON schemas that kubernetes-models
// bundles (Kubernetes 1.30/1.31 API; no cluster, no network once `npm install` has run here). A schema catches
// wrong types and shapes (a string replica count, a probe without a handler); it accepts unknown field names, so a
// misspelt field passes here and is caught by check-manifests.py, which asserts each setting's presence.
// Usage: node validate.mjs DIR (DIR = deploy/kubernetes); prints each problem and a summary line; exit 1 on a problem.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const dir = process.argv[2];
const files = ["edgeproxy.yaml", "secret-example.yaml", ...readdirSync(join(dir, "configmaps")).filter((f) => f.endsWith(".yaml")).map((f) => join("configmaps", f))];
let documents = 0;
const problems = [];
for (const file of files) {
  // YAML 1.1, as the Kubernetes API server reads it: defaultMode 0440 is octal.
  for (const document of parseAllDocuments(readFileSync(join(dir, file), "utf8"), { version: "1.1" })) {
    const object = document.toJS();
    if (!object) continue;
    documents++;
    const where = `${file}: ${object.kind} ${object.metadata?.name}`;
    if (document.errors.length) problems.push(`${where}: ${document.errors.join("; ")}`);
    const group = object.apiVersion.includes("/") ? object.apiVersion : `v1`;
    let Model;
    try {
      Model = require(`kubernetes-models/${group}/${object.kind}`)[object.kind];
    } catch {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
  }
}
for (const problem of problems) console.log(`schema-check: ${problem}`);
console.log(`schema-check: ${problems.length} problem(s) in ${documents} documents of ${files.length} files`);
process.exit(problems.length ? 1 : 0);
