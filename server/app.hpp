// What the API handlers and the pages share: the ledger and the published keys, captured by
// the routes when they are installed. No Beast or Asio here.
#pragma once

#include "codec/code.hpp"
#include "codec/url.hpp"
#include "server/answer_cache.hpp"
#include "server/keys.hpp"
#include "storage/ledger.hpp"

#include <string>
#include <vector>

namespace coldtrace::server {

struct app {
  storage::ledger& ledger;
  // The signing key and the JWKS, rotated together: read them through env::keys(), once per
  // request, so that a request signs and publishes with one consistent pair.
  key_ring& keys;
  std::string public_host;  // the host in code URLs, e.g. trace.example.gov.cn
  // Other hosts whose code URLs are ours too (an old host after a domain move). A code URL
  // under any host not here nor public_host is a counterfeit label (DESIGN §3).
  std::vector<std::string> extra_hosts;
  // How the public answers of unchanged codes are kept (the API's and the /c/ page's).
  answer_cache_options answers{};

  // public_host and extra_hosts; throws on an invalid host (checked at start-up).
  codec::own_hosts own_hosts() const {
    std::vector<std::string> all{public_host};
    all.insert(all.end(), extra_hosts.begin(), extra_hosts.end());
    return codec::own_hosts::of(all).value();
  }

  // Scanned bytes as the public sees them (the API and the /c/ page). The ledger authenticates
  // what it issued by exact match; a code it lacks is checked against the published keys, so
  // that a forgery is `forged` online as it is offline, not merely `unknown`. Not counted: a
  // scan is counted by whoever knows it was one (count_scan).
  result<storage::verification> verify(bytes_view code) const {
    auto v = ledger.verify(code);
    if (v && v->verdict == verdict::unknown) {
      if (auto signed_by_us = codec::verify_code(code, keys.current()->published); !signed_by_us)
        v->verdict = codec::verdict_of(signed_by_us.error());
    }
    return v;
  }

  // The same for a scan as a person gives it (a printed number, or bytes), judged at `at_unit`
  // when given (an inspector checking codes at the unit being inspected).
  result<storage::verification> verify(const storage::scan& s,
                                       std::optional<storage::unit_id> at_unit) const {
    auto v = ledger.verify_scan(s, at_unit);
    if (v && v->verdict == verdict::unknown && !s.number && !s.foreign_host) {
      if (auto signed_by_us = codec::verify_code(s.raw, keys.current()->published); !signed_by_us)
        v->verdict = codec::verdict_of(signed_by_us.error());
    }
    return v;
  }
};

}  // namespace coldtrace::server
