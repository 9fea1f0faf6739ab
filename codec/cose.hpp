// COSE_Sign1 (RFC 9052 §4.2) as coldtrace issues it: tag 18, protected header
// {1: -8 (EdDSA), 4: kid}, empty unprotected header, embedded payload, Ed25519 signature
// over the Sig_structure of RFC 9052 §4.4 with empty external AAD.
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"
#include "codec/keys.hpp"

namespace coldtrace::codec {

struct cose_sign1 {
  bytes protected_header;  // the serialized protected header map
  kid_t kid{};
  bytes payload;
  signature_t signature{};
};

// ["Signature1", protected, h'', payload] serialized as CBOR.
bytes sig_structure(bytes_view protected_header, bytes_view payload);

result<bytes> cose_sign1_sign(bytes_view payload, const signing_key& key);

// Structure only, no signature check. Rejects anything but the one canonical form we issue.
result<cose_sign1> cose_sign1_parse(bytes_view message);

// errc::unknown_kid when no key has the kid, errc::bad_signature when it does not verify.
result<void> cose_sign1_verify(const cose_sign1& message, const key_set& keys);

}  // namespace coldtrace::codec
