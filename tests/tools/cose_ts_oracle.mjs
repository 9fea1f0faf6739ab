// A second independent verifier for coldtrace codes, this one not written by us at all: the
// COSE_Sign1 parsing, the Sig_structure and the EdDSA check are the npm library
// @ldclabs/cose-ts (RFC 9052, Ed25519 from @noble/curves). Only the digits-to-bytes step (docs/code-format.md §5) is ours. Prints "valid vN" (N: the
// verified payload's format version) or "invalid"; exit 0 / 1.
// The packages come from web/node_modules (tools/lib/common.sh runs npm ci there). The
// library's files import each other without a ".js" extension (written for bundlers), so a
// resolve hook adds it for Node.
// Usage: node cose_ts_oracle.mjs <code URL> <jwks.json>
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e.code === 'ERR_MODULE_NOT_FOUND' && /^\\.\\.?\\//.test(specifier))
      return next(specifier + '.js', context);
    throw e;
  }
}`));
const web = createRequire(new URL('../../web/package.json', import.meta.url));
const load = (name) => import(pathToFileURL(web.resolve(name)).href);
const { Ed25519Key } = await load('@ldclabs/cose-ts/ed25519');
const { Sign1Message } = await load('@ldclabs/cose-ts/sign1');

const [url, jwksFile] = process.argv.slice(2);
const digits = url.slice(url.toLowerCase().indexOf('/c/') + 3);
let n = 1;
while ((256n ** BigInt(n) - 1n).toString().length < digits.length) n++;
let value = BigInt(digits);
const bytes = new Uint8Array(n);
for (let i = n - 1; i >= 0; i--) { bytes[i] = Number(value & 0xffn); value >>= 8n; }

for (const jwk of JSON.parse(readFileSync(jwksFile, 'utf8')).keys) {
  let message;
  try {
    message = Sign1Message.fromBytes(Ed25519Key.fromPublic(Buffer.from(jwk.x, 'base64url')), bytes);
  } catch (e) {
    continue; // not this key's signature (or not a COSE_Sign1 at all)
  }
  // The payload is a CBOR array whose first item is the version: 89 or 84, then 01 or 02.
  console.log('valid v' + message.payload[1]);
  process.exit(0);
}
console.log('invalid');
process.exit(1);
