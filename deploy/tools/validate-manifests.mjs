// Validates rendered Kubernetes manifests (YAML on stdin) against the
// Kubernetes OpenAPI schemas packaged in kubernetes-models, offline: each
// document must be a kind the schemas know and match its schema (types,
// required fields, enumerations).
//
//   kubectl kustomize deploy/k8s | node validate-manifests.mjs
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const docs = yaml.loadAll(readFileSync(0, "utf8")).filter(Boolean);
let failed = 0;
for (const doc of docs) {
  const where = `${doc.kind}/${doc.metadata?.name}`;
  const [group, version] = doc.apiVersion.includes("/")
    ? doc.apiVersion.split("/")
    : [null, doc.apiVersion];
  const path = group
    ? `kubernetes-models/${group}/${version}/${doc.kind}`
    : `kubernetes-models/${version}/${doc.kind}`;
  try {
    const module = await import(path);
    new module[doc.kind](doc).validate();
    console.log(`ok   ${where} (${doc.apiVersion})`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${where} (${doc.apiVersion}): ${e.message}`);
  }
}
if (docs.length === 0) {
  console.log("FAIL no documents");
  failed++;
}
process.exit(failed ? 1 : 0);
