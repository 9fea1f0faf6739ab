// The signing key and the published key set, held together so that a key rotation (SIGHUP,
// or the admin endpoint) changes both at once and one request never sees half of a change.
// No Beast or Asio here.
#pragma once

#include "codec/keys.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

namespace coldtrace::server {

// The keys in force at one moment. Immutable: a rotation makes a new one.
struct key_snapshot {
  std::shared_ptr<const codec::signing_key> signing;  // signs codes, the block list, checkpoints
  codec::key_set published;                           // the JWKS, old keys included
};
using keys_ptr = std::shared_ptr<const key_snapshot>;

// Reads a key directory as `coldtrace keygen` writes it: DIR/signing-key.pem and, when
// present, DIR/jwks.json. The published set is the file's, as it is.
result<key_snapshot> load_key_directory(const std::filesystem::path& dir);

class key_ring {
 public:
  // Called with the new signing key after each rotation, once the new set is published:
  // the ledger signs the codes it issues with it from then on.
  using on_rotate = std::function<void(std::shared_ptr<const codec::signing_key>)>;

  // `initial` must have a signing key; `dir` empty: reload() is refused.
  explicit key_ring(key_snapshot initial, std::filesystem::path dir = {}, on_rotate hook = {});

  // The pair in force now; keep it for the whole request.
  keys_ptr current() const;

  // Puts `next` in force: published first, then handed to the hook. Refused, the old pair kept,
  // when it has no signing key or the published set lacks it (codes it signed could not be
  // verified by anyone holding the JWKS).
  result<keys_ptr> replace(key_snapshot next);

  // Re-reads the directory given at construction and replace()s with what it holds.
  result<keys_ptr> reload();

 private:
  mutable std::mutex mutex_;
  std::mutex rotating_;  // one rotation at a time: the hook sees them in order
  keys_ptr current_;
  std::filesystem::path dir_;
  on_rotate hook_;
};

}  // namespace coldtrace::server
