// A request target's path segments and query parameters, read without a URL library when the
// target is plain text (no percent-encoding, no `+`, only the characters RFC 3986 allows
// unencoded): the common case of every hot route. Anything else goes through Boost.URL, so
// both ways answer alike (tests/server/target_test.cpp compares them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coldtrace::server {

struct path_segments {
  std::vector<std::string_view> parts;  // decoded; views into the target or into `owned`
  std::vector<std::string> owned;       // the decoded segments, when decoding was needed
};

// The decoded path segments of an origin-form ("/a/b?q") or absolute-form target; servers
// must accept both (RFC 9112 §3.2.2). False: the target is not a valid URL. `out` must not
// outlive `target`.
bool split_target(std::string_view target, path_segments& out);

// The decoded value of the query parameter `name`, the first one wins; nothing when it is
// absent or the target is invalid.
std::optional<std::string> query_value(std::string_view target, std::string_view name);

}  // namespace coldtrace::server
