// Offline verification (docs/code-format.md): digits → COSE_Sign1 → Ed25519 over the
// Sig_structure with a key from the cached JWKS (WebCrypto), then the cached, signed list of
// non-sellable lots (root lot + split-path prefix). Written after tests/tools/cose_oracle.mjs.
(function () {
  'use strict';
  const jwks_key = 'coldtrace.jwks';
  const blocked_key = 'coldtrace.blocked';

  // A code URL (any case) or its bare digits → the code's bytes; null if neither.
  function code_bytes(text) {
    text = String(text).trim();
    const at = text.toLowerCase().indexOf('/c/');
    const digits = at >= 0 ? text.slice(at + 3).split(/[?#]/)[0] : text;
    if (!/^[0-9]{3,1000}$/.test(digits)) return null;
    // Fixed width: the smallest n whose 256^n - 1 has this many digits.
    let n = 1;
    while ((256n ** BigInt(n) - 1n).toString().length < digits.length) n++;
    if ((256n ** BigInt(n) - 1n).toString().length !== digits.length) return null;
    let value = BigInt(digits);
    if (value >= 256n ** BigInt(n)) return null;
    const out = new Uint8Array(n);
    for (let i = n - 1; i >= 0; i--) {
      out[i] = Number(value & 0xffn);
      value >>= 8n;
    }
    return out;
  }

  // A minimal reader for the deterministic CBOR the codes use.
  function reader(bytes) {
    let pos = 0;
    const r = {
      head() {
        if (pos >= bytes.length) throw new Error('truncated');
        const ib = bytes[pos++];
        const major = ib >> 5, info = ib & 31;
        let v = info;
        if (info >= 24) {
          if (info > 27) throw new Error('bad head');
          const len = 1 << (info - 24);
          if (pos + len > bytes.length) throw new Error('truncated');
          v = 0;
          for (let i = 0; i < len; i++) v = v * 256 + bytes[pos++];
        }
        return { major, v };
      },
      bstr() {
        const h = r.head();
        if (h.major !== 2 || pos + h.v > bytes.length) throw new Error('expected a byte string');
        const out = bytes.slice(pos, pos + h.v);
        pos += h.v;
        return out;
      },
      uint() {
        const h = r.head();
        if (h.major !== 0) throw new Error('expected an unsigned integer');
        return h.v;
      },
      done: () => pos === bytes.length,
    };
    return r;
  }

  function enc_head(major, len) {
    if (len < 24) return [(major << 5) | len];
    if (len < 256) return [(major << 5) | 24, len];
    return [(major << 5) | 25, len >> 8, len & 255];
  }

  const b64url = (bytes) =>
    btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  function from_b64url(s) {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

  // COSE_Sign1 → its parts and the payload's fields; throws on anything malformed.
  function decode(bytes) {
    const r = reader(bytes);
    const tag = r.head();
    if (tag.major !== 6 || tag.v !== 18) throw new Error('not COSE_Sign1');
    const arr = r.head();
    if (arr.major !== 4 || arr.v !== 4) throw new Error('not 4 parts');
    const prot = r.bstr();
    const unprot = r.head();
    if (unprot.major !== 5 || unprot.v !== 0) throw new Error('bad unprotected header');
    const payload = r.bstr();
    const signature = r.bstr();
    if (!r.done() || signature.length !== 64) throw new Error('bad signature field');
    const p = reader(payload);
    const a = p.head();
    const version = p.uint();
    if (version !== 1 && version !== 2) throw new Error('unsupported version');
    let fields;
    if (a.major === 4 && a.v === 4 && version === 2) {
      // A pre-printed label: [2, code_id, warehouse, issued_day]; it marks no lot by itself.
      fields = { code_id: p.uint(), root_lot: 0, split_path: '', holder: p.uint(),
        issued_day: p.uint(), label: true };
    } else {
      if (a.major !== 4 || a.v !== 9) throw new Error('bad payload');
      // Version 2 escapes ordinals past 255 (00 + 3 bytes); the bytes compare as they are.
      fields = {
        code_id: p.uint(), root_lot: p.uint(), split_path: hex(p.bstr()), category: p.uint(),
        quantity_g: p.uint(), holder: p.uint(), origin: p.uint(), issued_day: p.uint(),
      };
    }
    const context = new TextEncoder().encode('Signature1');
    const to_be_signed = new Uint8Array([
      0x84, ...enc_head(3, context.length), ...context, ...enc_head(2, prot.length), ...prot,
      0x40, ...enc_head(2, payload.length), ...payload,
    ]);
    return { kid: b64url(prot.slice(prot.length - 4)), fields, to_be_signed, signature };
  }

  async function verify_with(jwks, kid, signature, data) {
    const jwk = (jwks.keys || []).find((k) => k.kid === kid);
    if (!jwk) return null; // no such key
    const key = await crypto.subtle.importKey(
      'jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data);
  }

  function load(name) {
    try {
      return JSON.parse(localStorage.getItem(name) || 'null');
    } catch (e) {
      return null;
    }
  }

  // The cached list, checked against the cached keys: {issued_at, entries} or null.
  async function trusted_list() {
    const jwks = load(jwks_key), signed = load(blocked_key);
    if (!jwks || !signed) return null;
    const payload = from_b64url(signed.payload);
    const ok = await verify_with(jwks, signed.kid, from_b64url(signed.signature), payload);
    if (!ok) return null;
    return JSON.parse(new TextDecoder().decode(payload));
  }

  // Fetches the keys and the list; keeps the old copies if the network or a signature fails.
  async function refresh() {
    const jwks = await (await fetch('/api/v1/keys', { cache: 'no-store' })).json();
    const signed = await (await fetch('/api/v1/blocked', { cache: 'no-store' })).json();
    const ok = await verify_with(jwks, signed.kid, from_b64url(signed.signature),
      from_b64url(signed.payload));
    if (!ok) throw new Error(window.ct.t('list_bad_signature'));
    localStorage.setItem(jwks_key, JSON.stringify(jwks));
    localStorage.setItem(blocked_key, JSON.stringify(signed));
    return trusted_list();
  }

  const blocked_verdict = { recalled: 'recalled', quarantined: 'quarantined', held: 'not_released' };
  // How old the list may be before it confirms nothing (docs/code-format.md): 24 hours.
  const max_list_age_ms = 24 * 3600 * 1000;

  // {verdict, genuine, confirmed, not_confirmed, confirmed_at, fields}; verdict is one of the
  // closed set, or null when there is no cached list to check against. Offline fails closed:
  // a genuine code that the list does not cover (a lot or code newer than the list) or a list
  // older than max_list_age_ms is {verdict: 'unknown', genuine: true, confirmed: false,
  // not_confirmed: 'beyond_list' | 'list_too_old' | 'label', confirmed_at: the list's time}, never valid.
  async function verify(text, now = Date.now()) {
    const bytes = code_bytes(text);
    if (!bytes) return { verdict: 'malformed', genuine: false };
    let parts;
    try {
      parts = decode(bytes);
    } catch (e) {
      return { verdict: 'malformed', genuine: false };
    }
    const list = await trusted_list();
    if (!list) return { verdict: null };
    const at = list.issued_at;
    const ok = await verify_with(load(jwks_key), parts.kid, parts.signature, parts.to_be_signed);
    // No published key has the kid, or the signature fails: not the platform's (as online).
    if (!ok) return { verdict: 'forged', genuine: false, list_issued_at: at };
    const f = parts.fields;
    const answer = (verdict, not_confirmed) => ({
      verdict, genuine: true, confirmed: !not_confirmed, not_confirmed, confirmed_at: at,
      fields: f, list_issued_at: at,
    });
    // A label's signature proves the platform printed it, not which goods it marks now.
    if (f.label) return answer('unknown', 'label');
    const hit = list.entries.find((e) => e.lot === f.root_lot && f.split_path.startsWith(e.path));
    // What the list names is refused however old the list is: that errs on the safe side.
    if (hit) return answer(blocked_verdict[hit.status] || 'not_released');
    // A list from before the list said what it covers covers nothing.
    if (!(f.root_lot <= list.last_lot && f.code_id <= list.last_code)) {
      return answer('unknown', 'beyond_list');
    }
    if (!(now - Date.parse(at) <= max_list_age_ms)) return answer('unknown', 'list_too_old');
    return answer('valid');
  }

  window.ct.offline = { code_bytes, decode, verify, refresh, trusted_list, max_list_age_ms };
})();
