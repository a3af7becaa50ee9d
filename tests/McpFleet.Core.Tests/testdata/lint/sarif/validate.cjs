// Validates a SARIF file against a JSON schema with ajv (draft-07) and ajv-formats.
// usage: node validate.cjs <node_modules> <schema.json> <file.sarif>
const path = require('path');
const fs = require('fs');
const [modulesArg, schemaPath, filePath] = process.argv.slice(2);
const modules = path.resolve(modulesArg);
const Ajv = require(path.join(modules, 'ajv'));
const addFormats = require(path.join(modules, 'ajv-formats'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
const ok = validate(JSON.parse(fs.readFileSync(filePath, 'utf8')));
if (!ok) {
  console.error(JSON.stringify(validate.errors, null, 2));
  process.exit(1);
}
console.log('valid');
