// Validates EPCIS 2.0 documents with an independent validator: the npm library epcis2.js,
// which checks each document against GS1's EPCIS 2.0 JSON schemas (the document, each event
// type, CBV business steps and dispositions) and, with checkExtensions, that every extension
// field's prefix is declared in the document's @context. Prints "valid FILE" or the reasons;
// exit 0 when every file is valid, 1 otherwise.
// The package comes from web/node_modules (tools/lib/common.sh runs npm ci there).
// Usage: node epcis_validate.mjs FILE...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const web = createRequire(new URL('../../web/package.json', import.meta.url));
const epcis = web('epcis2.js');
epcis.setup({ checkExtensions: true });

let failed = 0;
for (const file of process.argv.slice(2)) {
  let result;
  try {
    result = epcis.validateEpcisDocument(JSON.parse(readFileSync(file, 'utf8')), false);
  } catch (e) {
    result = { success: false, errors: [String(e)] };
  }
  if (result.success) {
    console.log(`valid ${file}`);
  } else {
    failed++;
    console.log(`invalid ${file}: ${result.errors.join('; ')}`);
  }
}
process.exit(failed || process.argv.length < 3 ? 1 : 0);
