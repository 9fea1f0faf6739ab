// What the API handlers and the pages share: the ledger and the published keys, captured by
// the routes when they are installed. No Beast or Asio here.
#pragma once

#include "server/keys.hpp"
#include "storage/ledger.hpp"

#include <string>

namespace coldtrace::server {

struct app {
  storage::ledger& ledger;
  // The signing key and the JWKS, rotated together: read them through env::keys(), once per
  // request, so that a request signs and publishes with one consistent pair.
  key_ring& keys;
  std::string public_host;  // the host in code URLs, e.g. trace.example.gov.cn
};

}  // namespace coldtrace::server
