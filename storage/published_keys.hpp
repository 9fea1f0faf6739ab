// The signing keys a shared database's servers publish (docs/deploy.md, "Signing keys in a
// cluster"): every server of a cluster must sign with a key the JWKS of every other server
// holds. The database keeps the cluster's set; `coldtrace serve` on PostgreSQL publishes its
// keys when the set is empty (the first server), refuses to start with a signing key the set
// does not hold, and publishes the whole set. `coldtrace db publish-keys` adds a new key.
#pragma once

#include "codec/keys.hpp"
#include "storage/error.hpp"
#include "storage/types.hpp"

#include <string>

namespace coldtrace::storage {

// The keys the database publishes (empty for a database none has published to). `db` is a
// SQLite file or a postgresql:// URI.
result<codec::key_set> published_keys(const std::string& db);
// Adds `keys` to the set (a kid already there is kept as it is) and returns the whole set.
result<codec::key_set> publish_keys(const std::string& db, const codec::key_set& keys,
                                    time_point at);

}  // namespace coldtrace::storage
