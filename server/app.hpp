// What the API handlers and the pages share: the ledger and the published keys, captured by
// the routes when they are installed. No Beast or Asio here.
#pragma once

#include "codec/keys.hpp"
#include "storage/ledger.hpp"

#include <string>

namespace coldtrace::server {

struct app {
  storage::ledger& ledger;
  const codec::signing_key& signing_key;  // signs the non-sellable list for offline verifiers
  codec::key_set published_keys;          // the JWKS, old keys included
  std::string public_host;                // the host in code URLs, e.g. trace.example.gov.cn
};

}  // namespace coldtrace::server
