// Ed25519 signing keys (OpenSSL 3 EVP) and the published key set (JWKS, RFC 7517 / RFC 8037).
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace coldtrace::codec {

using kid_t = std::array<std::uint8_t, 4>;
using signature_t = std::array<std::uint8_t, 64>;

// kid = the first 4 bytes of SHA-256 over the raw 32-byte public key.
kid_t kid_of(std::span<const std::uint8_t, 32> raw_public);

struct public_key {
  kid_t kid{};
  std::array<std::uint8_t, 32> x{};  // raw Ed25519 public key
};

struct free_pkey {
  void operator()(evp_pkey_st* p) const noexcept;
};

class signing_key {
 public:
  static result<signing_key> generate();
  static result<signing_key> from_seed(bytes_view seed32);  // RFC 8032 private key
  static result<signing_key> load_pem(const std::filesystem::path& file);

  // Writes PKCS#8 PEM with mode 0600; refuses to overwrite an existing file.
  result<void> save_pem(const std::filesystem::path& file) const;

  const public_key& public_part() const { return public_; }
  const kid_t& kid() const { return public_.kid; }
  result<signature_t> sign(bytes_view message) const;

 private:
  explicit signing_key(evp_pkey_st* key);
  std::unique_ptr<evp_pkey_st, free_pkey> key_;
  public_key public_;
};

// Ok when `signature` is valid for `message` under `key`; errc::bad_signature otherwise.
result<void> verify_signature(const public_key& key, bytes_view message, bytes_view signature);

class key_set {
 public:
  void add(const public_key& key);  // replaces a key with the same kid
  const public_key* find(const kid_t& kid) const;
  const std::vector<public_key>& keys() const { return keys_; }

  std::string to_jwks() const;  // {"keys":[{"kty":"OKP","crv":"Ed25519","kid":...,"x":...}]}
  static result<key_set> from_jwks(std::string_view json);
  static result<key_set> load(const std::filesystem::path& file);
  result<void> save(const std::filesystem::path& file) const;

 private:
  std::vector<public_key> keys_;
};

std::string kid_text(const kid_t& kid);  // base64url, as in the JWKS "kid" member

}  // namespace coldtrace::codec
