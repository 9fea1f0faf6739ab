// One HTTP POST to an upper platform, with a deadline: what the pusher (pusher.hpp) delivers a
// batch with. Plain HTTP, or HTTPS with the peer verified against the system's trust store (and
// its name against the URL's host). Beast is compiled in push_http.cpp only.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace coldtrace::server {

struct push_target {
  bool tls = false;
  std::string host, port, path;  // path with its query, "/" at least
};

// http://host[:port]/path or https://...; false when `url` is neither, or holds a user or a
// password (credentials go in a file, never in a URL that is logged).
bool parse_push_target(const std::string& url, push_target& out);

struct push_answer {
  int status = 0;     // the HTTP status; 0 when no answer came (see `error`)
  std::string error;  // why no answer: refused, timed out, TLS, ...
  std::string body;   // the first bytes of the answer's body, for the log
};

// POSTs `body` (JSON) with "Authorization: Bearer <token>" (none when empty); the whole
// exchange, connect to answer, must finish within `timeout`. `cancelled`, when given, is asked
// every 50 ms: true abandons the request (no answer).
push_answer post_json(const push_target& t, const std::string& token, const std::string& body,
                      std::chrono::milliseconds timeout,
                      const std::function<bool()>& cancelled = {});

}  // namespace coldtrace::server
