// One error type for the whole project: a machine-readable code (an enum per folder, each
// with its own category) and a sentence for a person saying what was wrong.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace coldtrace {

// A message's parameters by name, e.g. {{"lot", "13"}}.
using message_args = std::vector<std::pair<std::string, std::string>>;

struct error {
  boost::system::error_code code;
  std::string message;  // what was wrong, in words a person understands (English)
  // The key of this message in the server's catalogue (server/messages.cpp), which says it in
  // each language from `args`; empty when only the code's own sentence is translated.
  std::string detail = {};
  message_args args = {};
};

template <class T>
using result = boost::system::result<T, error>;

// Called by result<T>::value() when it holds an error: a bug or a start-up failure.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

namespace codec {

enum class errc {
  bad_digits = 1,  // the decimal digits of a code are not valid
  bad_url,         // not a code URL
  bad_cbor,        // the bytes are not well-formed CBOR
  not_canonical,   // well-formed, but not in the one deterministic encoding we issue
  bad_cose,        // not a COSE_Sign1 structure as we issue it
  bad_payload,     // the signed payload is not a coldtrace payload
  unsupported_version,
  unknown_kid,     // no published key has the code's kid
  bad_signature,   // the signature does not verify: a forged or altered code
  crypto_failure,  // OpenSSL failed
  bad_key,         // a key file or JWKS is unusable
  io_failure,      // a file could not be read or written
  too_large,       // input larger than any code we issue
  bad_credit_code,
  bad_customs_number,
  bad_country,
  bad_category,
  bad_value,  // a field value out of range
  qr_failure,
  foreign_host,  // a code URL under a host that is not the platform's: a counterfeit label
};

const boost::system::error_category& category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

// A failed result with a message for a person.
inline error fail(errc e, std::string message) {
  return {make_error_code(e), std::move(message)};
}

}  // namespace codec
}  // namespace coldtrace

template <>
struct boost::system::is_error_code_enum<coldtrace::codec::errc> : std::true_type {};
