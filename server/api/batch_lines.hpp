// The lines of a batch (POST /api/v1/batch) and the answer for each: decoding a line as the
// single endpoints decode their bodies, and a line's error named by its number and reference
// in the request's language. Internal to the API.
#pragma once

#include "codec/keys.hpp"
#include "codec/url.hpp"
#include "server/json.hpp"
#include "server/pages/lang.hpp"
#include "storage/records.hpp"
#include "storage/requests.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace coldtrace::server::api {

namespace json = boost::json;

inline constexpr std::size_t max_ref = 64;      // a client reference's length, as a key's
inline constexpr std::size_t max_lines = 1000;  // lines in one batch request

// A client reference: 1 to max_ref printable ASCII characters. `field` names it in the message.
result<std::string> client_ref(std::string_view ref, std::string_view field);

// What a line's code is read against: the published keys (a code id or a signed code), our
// own hosts (a scanned URL), and the caller's unit (where it sells).
struct line_codes {
  const codec::key_set& keys;
  const codec::own_hosts& own;
  storage::unit_id unit;
};

// One line of "lines": {"ref", "op": receipt|dispatch|sale, "code", ...}. `index` is 0-based,
// for field names in messages ("lines[2].quantity_g").
result<storage::batch_line> decode_batch_line(const json::value& v, std::size_t index,
                                              const line_codes& codes);

// "第 3 行（POS-3）：…" / "line 3 (POS-3): …": the error's message naming its line (1-based).
std::string line_message(const error& e, std::size_t line, std::string_view ref, pages::lang l);
json::object line_error(const error& e, std::size_t line, std::string_view ref, pages::lang l);

// {"line", "ref", "op", "status", "error" | "code" | "sale"}.
json::object line_json(const storage::batch_line_result& r, storage::batch_op op, std::size_t line,
                       pages::lang l, std::string_view host);

}  // namespace coldtrace::server::api
