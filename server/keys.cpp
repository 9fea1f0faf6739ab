#include "server/keys.hpp"

#include <algorithm>

namespace coldtrace::server {

result<key_snapshot> load_key_directory(const std::filesystem::path& dir) {
  auto key = codec::signing_key::load_pem(dir / "signing-key.pem");
  if (!key) return key.error();
  key_snapshot out;
  out.signing = std::make_shared<const codec::signing_key>(std::move(*key));
  const auto jwks = dir / "jwks.json";
  std::error_code ec;
  if (std::filesystem::exists(jwks, ec)) {
    auto published = codec::key_set::load(jwks);
    if (!published) return published.error();
    out.published = std::move(*published);
  }
  return out;
}

namespace {

result<void> check(const key_snapshot& k) {
  if (!k.signing) return codec::fail(codec::errc::bad_key, "the key set has no signing key");
  const auto* p = k.published.find(k.signing->kid());
  if (p == nullptr || p->x != k.signing->public_part().x) {
    return codec::fail(codec::errc::bad_key,
                       "the signing key (kid " + codec::kid_text(k.signing->kid()) +
                           ") is not in the published key set: publish it first (coldtrace "
                           "keygen --rotate does both)");
  }
  return {};
}

}  // namespace

key_ring::key_ring(key_snapshot initial, std::filesystem::path dir, on_rotate hook)
    : current_(std::make_shared<const key_snapshot>(std::move(initial))),
      dir_(std::move(dir)),
      hook_(std::move(hook)) {}

keys_ptr key_ring::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

result<keys_ptr> key_ring::replace(key_snapshot next) {
  if (auto ok = check(next); !ok) return ok.error();
  std::lock_guard order(rotating_);
  auto made = std::make_shared<const key_snapshot>(std::move(next));
  {
    std::lock_guard lock(mutex_);
    current_ = made;
  }
  // After the swap: a code the ledger signs with the new key is verifiable at once.
  if (hook_) hook_(made->signing);
  return made;
}

result<keys_ptr> key_ring::reload() {
  if (dir_.empty()) return codec::fail(codec::errc::bad_key, "no key directory to reload from");
  auto next = load_key_directory(dir_);
  if (!next) return next.error();
  return replace(std::move(*next));
}

}  // namespace coldtrace::server
