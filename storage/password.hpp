// Passwords of people (sign-in by name and password): Argon2id through libsodium's
// crypto_pwhash_str, at its interactive limits. Only the encoded hash is ever stored; the
// password itself is neither stored, logged nor put in an audit event.
#pragma once

#include "storage/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace coldtrace::storage {

// What a password must be: 8 to 128 bytes of UTF-8 without control characters. `invalid_input`
// with a message that says which rule it breaks.
std::optional<error> check_password(std::string_view password);

// The encoded Argon2id hash ("$argon2id$v=19$m=...") of `password`, with a fresh salt. Slow on
// purpose (tens of milliseconds and 64 MiB): never call it on the ledger's writer thread.
result<std::string> hash_password(std::string_view password);

// True when `password` is the one `hash` was made from; false for any other password and for a
// hash that is not an Argon2 hash. As slow as hash_password.
bool verify_password(std::string_view hash, std::string_view password);

// Takes as long as verify_password does for a real hash, so a name that has no password
// answers as slowly as a wrong password does (names are not to be probed by timing).
void verify_nothing(std::string_view password);

}  // namespace coldtrace::storage
