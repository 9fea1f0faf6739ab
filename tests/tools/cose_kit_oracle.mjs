// A second independent verifier for coldtrace codes, this one not written by us at all: the
// COSE_Sign1 parsing, the Sig_structure and the EdDSA check are the npm library cose-kit (with
// jose for the JWK). Only the digits-to-bytes step (docs/code-format.md §5) is ours. Prints
// "valid vN" (N: the payload's format version, read from the verified payload) or "invalid";
// exit 0 / 1. The packages come from web/node_modules (tools/lib/common.sh runs npm ci).
// Usage: node cose_kit_oracle.mjs <code URL> <jwks.json>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { coseVerify } = require('cose-kit');
const { importJWK } = require('jose');

const [url, jwksFile] = process.argv.slice(2);
const digits = url.slice(url.toLowerCase().indexOf('/c/') + 3);
let n = 1;
while ((256n ** BigInt(n) - 1n).toString().length < digits.length) n++;
let value = BigInt(digits);
const bytes = new Uint8Array(n);
for (let i = n - 1; i >= 0; i--) { bytes[i] = Number(value & 0xffn); value >>= 8n; }

const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
try {
  const { isValid, decoded } = await coseVerify(bytes, async (message) => {
    const kid = Buffer.from(message.kid ?? []).toString('base64url');
    const jwk = jwks.keys.find((k) => k.kid === kid);
    if (!jwk) throw new Error('no published key has the kid');
    return importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
  });
  // The payload is a CBOR array whose first item is the version: 0x89 or 0x84, then 01 or 02.
  console.log(isValid ? `valid v${decoded.payload[1]}` : 'invalid');
  process.exit(isValid ? 0 : 1);
} catch (e) {
  console.log(`invalid (${e.message})`);
  process.exit(1);
}
