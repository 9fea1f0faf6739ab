#include "storage/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace coldtrace::storage {
namespace {

void init_sodium() {
  // Thread-safe and idempotent; -1 only when the library cannot work at all.
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise (sodium_init)");
}

}  // namespace

std::optional<error> check_password(std::string_view password) {
  if (password.size() < 8)
    return fail(errc::invalid_input, "the password must be at least 8 characters long",
                "password.short", {});
  if (password.size() > 128)
    return fail(errc::invalid_input, "the password must be at most 128 bytes long", "password.long",
                {});
  for (unsigned char ch : password)
    if (ch < 0x20 || ch == 0x7f)
      return fail(errc::invalid_input, "the password must not contain control characters",
                  "password.control", {});
  return std::nullopt;
}

result<std::string> hash_password(std::string_view password) {
  if (auto e = check_password(password)) return *e;
  init_sodium();
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return fail(errc::storage_failure, "hashing the password failed (out of memory?)");
  out.resize(out.find('\0'));
  return out;
}

bool verify_password(std::string_view hash, std::string_view password) {
  init_sodium();
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string h{hash};
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void verify_nothing(std::string_view password) {
  static const std::string dummy = [] {
    auto h = hash_password("not a password of anyone");
    return h ? *h : std::string{};
  }();
  (void)verify_password(dummy, password);
}

}  // namespace coldtrace::storage
