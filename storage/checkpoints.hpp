// Signed checkpoints of the audit chain: the platform states, under its Ed25519 signing key
// (the codes' key, so the published JWKS checks it), that its history at time `at` ended
// with event `seq` whose hash is `hash`. Whoever keeps the checkpoints (the provincial
// platform, an auditor) can later prove that the bureau's database still holds that history:
// a truncated chain ends before `seq`, a rewritten one has another hash there.
//
// The signed message is "coldtrace checkpoint v1\n" followed by the canonical JSON
// {"at":T,"hash":"<hex>","kid":"<base64url>","seq":N}; a checkpoint as exchanged is that
// object with "signature" (base64url Ed25519) added. See docs/audit.md.
#pragma once

#include "codec/keys.hpp"
#include "storage/error.hpp"
#include "storage/types.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace coldtrace::storage {

struct checkpoint {
  event_seq seq = 0;
  bytes hash;
  std::int64_t at = 0;  // seconds since the epoch
  std::string kid;      // base64url, as in the JWKS
  std::string signature;
};

std::string checkpoint_message(const checkpoint& c);  // the bytes signed
std::string to_json(const checkpoint& c);
// One checkpoint object, or an array of them (as `audit checkpoints --out` writes).
result<std::vector<checkpoint>> checkpoints_from_json(std::string_view text);

// Signs the database's chain head as of `at` and stores the checkpoint. When the head has
// not moved since the last checkpoint, that one is returned and nothing is written.
result<checkpoint> sign_checkpoint(const std::filesystem::path& file, const codec::signing_key& key,
                                   time_point at);
// Every stored checkpoint, oldest first.
result<std::vector<checkpoint>> list_checkpoints(const std::filesystem::path& file);

// Empty when `c` is signed by a key of `keys` and the database's chain holds event `c.seq`
// with hash `c.hash`; otherwise what is wrong, for a person.
result<std::string> check_checkpoint(const std::filesystem::path& file, const checkpoint& c,
                                     const codec::key_set& keys);

}  // namespace coldtrace::storage
