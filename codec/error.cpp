#include "codec/error.hpp"

#include <stdexcept>

namespace coldtrace {

void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw std::runtime_error(e.message.empty() ? e.code.message() : e.message);
}

namespace codec {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "coldtrace.codec"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::bad_digits: return "the code's digits are not valid";
      case errc::bad_url: return "not a coldtrace code URL";
      case errc::bad_cbor: return "the code's bytes are not well-formed";
      case errc::not_canonical: return "the code is not in its canonical encoding";
      case errc::bad_cose: return "the code is not a signed coldtrace code";
      case errc::bad_payload: return "the code's contents are not valid";
      case errc::unsupported_version: return "the code's format version is not supported";
      case errc::unknown_kid: return "no published key matches the code";
      case errc::bad_signature: return "the code's signature is not valid";
      case errc::crypto_failure: return "a cryptographic operation failed";
      case errc::bad_key: return "the key is not usable";
      case errc::io_failure: return "a file could not be read or written";
      case errc::too_large: return "the input is too large";
      case errc::bad_credit_code: return "not a valid unified social credit code";
      case errc::bad_customs_number: return "not a valid customs declaration number";
      case errc::bad_country: return "not a known country";
      case errc::bad_category: return "not a known food category";
      case errc::bad_value: return "a value is out of range";
      case errc::qr_failure: return "the QR symbol could not be made";
      case errc::foreign_host: return "the code URL's host is not the platform's";
    }
    return "unknown codec error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

}  // namespace codec
}  // namespace coldtrace
