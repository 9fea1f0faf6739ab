#include "storage/digest.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace coldtrace::storage {
namespace {

struct free_md_ctx {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

}  // namespace

sha256_t sha256(bytes_view a, bytes_view b) {
  std::unique_ptr<EVP_MD_CTX, free_md_ctx> ctx{EVP_MD_CTX_new()};
  sha256_t out{};
  unsigned int n = 0;
  // Failure here means OpenSSL is unusable: a start-up or environment bug, not a user error.
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &n) != 1 || n != out.size())
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  return out;
}

std::string new_token() {
  bytes secret(32);
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1)
    throw std::runtime_error("the random generator failed (RAND_bytes)");
  return "ct_" + base64url_encode(secret);
}

std::string new_session_token() {
  return "cs_" + new_token().substr(3);
}

}  // namespace coldtrace::storage
