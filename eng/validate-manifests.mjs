#!/usr/bin/env node
// Validates Kubernetes objects against the upstream schemas: kubernetes-models for built-in kinds and
// @kubernetes-models/external-secrets for ExternalSecret. Reads a JSON array of objects on stdin, prints one line per
// invalid object (kind/name: reason) and exits 1 when any is invalid, 2 on bad input, 0 when all pass.
//
//   node eng/validate-manifests.mjs [--modules DIR] < objects.json
//
// DIR (default $MCPFLEET_NPM_MODULES, else .tools/npm/node_modules) holds the npm packages that eng/tools.sh installs.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argIndex = process.argv.indexOf("--modules");
const modules = argIndex > 0
  ? resolve(process.argv[argIndex + 1])
  : process.env.MCPFLEET_NPM_MODULES || join(root, ".tools", "npm", "node_modules");

// apiVersion group → package directory; the core group ("v1") and built-in groups live in kubernetes-models.
const packages = { "external-secrets.io": "@kubernetes-models/external-secrets" };

function modelFile(apiVersion, kind) {
  const slash = apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const pkg = packages[group] ?? "kubernetes-models";
  return join(modules, pkg, apiVersion, `${kind}.js`);
}

let objects;
try {
  objects = JSON.parse(readFileSync(0, "utf8"));
  if (!Array.isArray(objects)) throw new Error("expected a JSON array of objects");
} catch (e) {
  console.error(`validate-manifests: bad input: ${e.message}`);
  process.exit(2);
}

const failures = [];
for (const [i, obj] of objects.entries()) {
  const id = `${obj?.kind ?? "?"}/${obj?.metadata?.name ?? `#${i}`}`;
  if (typeof obj?.apiVersion !== "string" || typeof obj?.kind !== "string" || !/^[A-Za-z0-9]+$/.test(obj.kind)) {
    failures.push(`${id}: no apiVersion/kind`);
    continue;
  }
  const file = modelFile(obj.apiVersion, obj.kind);
  if (!existsSync(file)) {
    failures.push(`${id}: no schema for ${obj.apiVersion} ${obj.kind} (looked for ${file})`);
    continue;
  }
  const model = (await import(pathToFileURL(file).href))[obj.kind];
  try {
    new model(obj).validate();
  } catch (e) {
    const details = Array.isArray(e.errors)
      ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`).join("; ")
      : e.message;
    failures.push(`${id} (${obj.apiVersion}): ${details}`);
  }
}

for (const f of failures) console.log(f);
if (failures.length > 0) {
  console.error(`validate-manifests: ${failures.length} of ${objects.length} objects invalid`);
  process.exit(1);
}
console.error(`validate-manifests: ${objects.length} objects valid`);
