// An independent verifier for coldtrace codes, written from RFC 9052 and RFC 8949 without
// our C++: digits -> bytes, COSE_Sign1 unpacked, Sig_structure rebuilt, and the Ed25519
// signature checked by Node's WebCrypto. Prints "valid" or "invalid"; exit 0 / 1.
// Usage: node cose_oracle.mjs <code URL> <jwks.json>
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';

const [url, jwksFile] = process.argv.slice(2);
const digits = url.slice(url.toLowerCase().indexOf('/c/') + 3);

// Fixed width: the smallest n whose 256^n - 1 has this many digits.
let n = 1;
while ((256n ** BigInt(n) - 1n).toString().length < digits.length) n++;
let value = BigInt(digits);
const bytes = new Uint8Array(n);
for (let i = n - 1; i >= 0; i--) { bytes[i] = Number(value & 0xffn); value >>= 8n; }

let pos = 0;
function head() {
  const ib = bytes[pos++], major = ib >> 5, info = ib & 31;
  let v = info;
  if (info >= 24) {
    const len = 1 << (info - 24);
    v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + bytes[pos++];
  }
  return { major, v };
}
function bstr() {
  const h = head();
  if (h.major !== 2) throw new Error('expected a byte string');
  const out = bytes.slice(pos, pos + h.v);
  pos += h.v;
  return out;
}
const tag = head();
if (tag.major !== 6 || tag.v !== 18) throw new Error('not COSE_Sign1');
if (head().v !== 4) throw new Error('not 4 parts');
const prot = bstr();
const unprot = head();
const payload = bstr();
const signature = bstr();
if (unprot.major !== 5) throw new Error('bad unprotected header');

function encodeHead(major, len) {
  if (len < 24) return [major << 5 | len];
  if (len < 256) return [major << 5 | 24, len];
  return [major << 5 | 25, len >> 8, len & 255];
}
const context = new TextEncoder().encode('Signature1');
const toBeSigned = new Uint8Array([
  0x84, ...encodeHead(3, context.length), ...context, ...encodeHead(2, prot.length), ...prot,
  0x40, ...encodeHead(2, payload.length), ...payload,
]);

const kid = Buffer.from(prot.slice(prot.length - 4)).toString('base64url');
const jwk = JSON.parse(readFileSync(jwksFile, 'utf8')).keys.find((k) => k.kid === kid);
if (!jwk) { console.log('invalid (no key)'); process.exit(1); }
const key = await webcrypto.subtle.importKey(
  'jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
const ok = await webcrypto.subtle.verify({ name: 'Ed25519' }, key, signature, toBeSigned);
console.log(ok ? 'valid' : 'invalid');
process.exit(ok ? 0 : 1);
