#include "codec/code.hpp"

namespace coldtrace::codec {

result<bytes> issue_code(const payload& p, const signing_key& key) {
  const bytes encoded = encode_payload(p);
  // Refuse to sign what we could not read back: a code is only issued if it verifies.
  if (auto check = decode_payload(encoded); !check) return check.error();
  return cose_sign1_sign(encoded, key);
}

result<payload> read_code(bytes_view code) {
  auto msg = cose_sign1_parse(code);
  if (!msg) return msg.error();
  return decode_payload(msg->payload);
}

result<payload> verify_code(bytes_view code, const key_set& keys) {
  auto msg = cose_sign1_parse(code);
  if (!msg) return msg.error();
  // The payload is decoded only after the signature holds: unsigned bytes are never parsed
  // further than the envelope.
  if (auto ok = cose_sign1_verify(*msg, keys); !ok) return ok.error();
  return decode_payload(msg->payload);
}

verdict verdict_of(const error& e) {
  // A genuine code under another host is a copied label: as counterfeit as a bad signature.
  // No published key has the kid: not signed by the platform, so forged too, as the online
  // check answers for the same code (its bytes are not the ones issued).
  if (e.code == errc::bad_signature || e.code == errc::foreign_host || e.code == errc::unknown_kid)
    return verdict::forged;
  return verdict::malformed;
}

}  // namespace coldtrace::codec
