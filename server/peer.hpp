// The client's IP address, for limits per address (sign-in attempts). The session puts it in
// the request as a header field of this reserved name, replacing any the client sent, so that
// handlers, which see only server/http.hpp's request, can read it.
#pragma once

#include "server/http.hpp"

#include <string_view>

namespace coldtrace::server {

inline constexpr std::string_view peer_field = "X-Coldtrace-Peer";

// The address the request came from; empty when unknown (a request made in process).
inline std::string_view peer_of(const request& req) {
  return req.fields.find(peer_field).value_or("");
}

}  // namespace coldtrace::server
