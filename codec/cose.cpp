#include "codec/cose.hpp"

#include "codec/cbor.hpp"

#include <algorithm>

namespace coldtrace::codec {
namespace {

constexpr std::uint64_t cose_sign1_tag = 18;  // RFC 9052 §4.2
constexpr std::int64_t header_alg = 1;        // RFC 9052 §3.1
constexpr std::int64_t header_kid = 4;
constexpr std::int64_t alg_eddsa = -8;  // RFC 9053 §2.2
constexpr std::size_t max_code_size = 4096;

bytes protected_header_for(const kid_t& kid) {
  cbor::writer w;
  w.map(2);
  w.integer(header_alg);
  w.integer(alg_eddsa);
  w.integer(header_kid);
  w.bstr(kid);
  return w.take();
}

// Parses exactly the protected header we issue: {1: -8, 4: h'<4 bytes>'}.
result<kid_t> parse_protected(bytes_view b) {
  cbor::reader r(b);
  auto n = r.map();
  if (!n) return n.error();
  if (*n != 2) return fail(errc::bad_cose, "the code's protected header must have 2 entries");
  auto k1 = r.integer();
  if (!k1) return k1.error();
  auto alg = r.integer();
  if (!alg) return alg.error();
  if (*k1 != header_alg || *alg != alg_eddsa)
    return fail(errc::bad_cose, "the code is not signed with EdDSA");
  auto k2 = r.integer();
  if (!k2) return k2.error();
  if (*k2 != header_kid) return fail(errc::bad_cose, "the code's protected header has no kid");
  auto kid = r.bstr();
  if (!kid) return kid.error();
  if (kid->size() != 4) return fail(errc::bad_cose, "the code's kid is not 4 bytes");
  if (auto end = r.expect_end(); !end) return end.error();
  kid_t out;
  std::copy(kid->begin(), kid->end(), out.begin());
  return out;
}

}  // namespace

bytes sig_structure(bytes_view protected_header, bytes_view payload) {
  cbor::writer w;
  w.array(4);
  w.tstr("Signature1");
  w.bstr(protected_header);
  w.bstr({});  // external_aad: empty
  w.bstr(payload);
  return w.take();
}

result<bytes> cose_sign1_sign(bytes_view payload, const signing_key& key) {
  const bytes prot = protected_header_for(key.kid());
  auto sig = key.sign(sig_structure(prot, payload));
  if (!sig) return sig.error();
  cbor::writer w;
  w.tag(cose_sign1_tag);
  w.array(4);
  w.bstr(prot);
  w.map(0);  // unprotected header: empty
  w.bstr(payload);
  w.bstr(*sig);
  return w.take();
}

result<cose_sign1> cose_sign1_parse(bytes_view message) {
  if (message.size() > max_code_size)
    return fail(errc::too_large, "the code is " + std::to_string(message.size()) +
                                     " bytes, larger than any coldtrace code");
  cbor::reader r(message);
  auto tag = r.tag();
  if (!tag) return tag.error();
  if (*tag != cose_sign1_tag) return fail(errc::bad_cose, "the code is not a COSE_Sign1 message");
  auto n = r.array();
  if (!n) return n.error();
  if (*n != 4) return fail(errc::bad_cose, "a COSE_Sign1 message has 4 parts");
  cose_sign1 out;
  auto prot = r.bstr();
  if (!prot) return prot.error();
  auto kid = parse_protected(*prot);
  if (!kid) return kid.error();
  auto unprot = r.map();
  if (!unprot) return unprot.error();
  if (*unprot != 0) return fail(errc::bad_cose, "the code's unprotected header must be empty");
  auto payload = r.bstr();
  if (!payload) return payload.error();
  auto sig = r.bstr();
  if (!sig) return sig.error();
  if (sig->size() != out.signature.size())
    return fail(errc::bad_cose, "the code's signature is not 64 bytes");
  if (auto end = r.expect_end(); !end) return end.error();
  out.protected_header.assign(prot->begin(), prot->end());
  out.kid = *kid;
  out.payload.assign(payload->begin(), payload->end());
  std::copy(sig->begin(), sig->end(), out.signature.begin());
  return out;
}

result<void> cose_sign1_verify(const cose_sign1& message, const key_set& keys) {
  const public_key* key = keys.find(message.kid);
  if (!key)
    return fail(errc::unknown_kid,
                "no published key has the code's key id " + kid_text(message.kid));
  return verify_signature(*key, sig_structure(message.protected_header, message.payload),
                          message.signature);
}

}  // namespace coldtrace::codec
