// Anything a camera or a client can hand us as a code: text (a URL or digits) and raw bytes,
// through every decoding step, with and without the signature check. No input may crash,
// leak, or read out of bounds; decoding must agree with itself.
#include "codec/code.hpp"
#include "codec/digits.hpp"
#include "codec/url.hpp"

#include <cstdlib>

using namespace coldtrace;

namespace {

const codec::key_set& keys() {
  static const codec::key_set set = [] {
    codec::key_set s;
    s.add(codec::signing_key::from_seed(bytes(32, 7)).value().public_part());
    return s;
  }();
  return set;
}

void check_bytes(bytes_view b) {
  auto read = codec::read_code(b);
  auto verified = codec::verify_code(b, keys());
  // A code that verifies must also read, to the same payload.
  if (verified && (!read || !(*read == *verified))) std::abort();
  // A payload that reads re-encodes to the same bytes: one code, one byte string.
  if (read) {
    auto msg = codec::cose_sign1_parse(b);
    if (!msg || codec::encode_payload(*read) != msg->payload) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto code = codec::parse_code_text(text)) {
    // Bare digits that decode come back unchanged from the bytes.
    if (text.find_first_not_of("0123456789") == std::string_view::npos &&
        codec::to_digits(*code) != text)
      std::abort();
    check_bytes(*code);
  }
  check_bytes({data, size});
  return 0;
}
