// A coldtrace code: a COSE_Sign1 over a v1 payload. Issue, read and verify.
#pragma once

#include "codec/cose.hpp"
#include "codec/payload.hpp"
#include "codec/verdict.hpp"

namespace coldtrace::codec {

result<bytes> issue_code(const payload& p, const signing_key& key);

// Decodes without checking the signature (online verification authenticates by exact match).
result<payload> read_code(bytes_view code);

// Decodes and checks the signature against the published keys.
result<payload> verify_code(bytes_view code, const key_set& keys);

// The verdict a failed read/verify/parse stands for: forged (a bad signature, a kid no
// published key has, or a foreign host) or malformed.
verdict verdict_of(const error& e);

}  // namespace coldtrace::codec
