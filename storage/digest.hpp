// SHA-256 and bearer tokens (OpenSSL), kept out of the other headers.
#pragma once

#include "codec/bytes.hpp"

#include <array>
#include <string>

namespace coldtrace::storage {

using sha256_t = std::array<std::uint8_t, 32>;

sha256_t sha256(bytes_view a, bytes_view b = {});

// "ct_" and 256 random bits (RAND_bytes) in base64url: shown once, stored as sha256 only.
std::string new_token();
// "cs_" and 256 random bits: a person's session token (storage::issued_session).
std::string new_session_token();

}  // namespace coldtrace::storage
