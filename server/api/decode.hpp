// What handlers read from a request besides its JSON body: path ids, query parameters, pages,
// times, enumerations and scanned codes. Each failure is a 4xx error with a message for the
// person who sent the request; nothing here touches the ledger.
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"
#include "codec/keys.hpp"
#include "codec/url.hpp"
#include "server/context.hpp"
#include "server/http.hpp"
#include "storage/reports.hpp"
#include "storage/requests.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coldtrace::server::api {

// Wall-clock now at the ledger's one-second resolution.
storage::time_point now();

// A record id in the path ("/lots/{id}"): a positive decimal integer. Anything else names no
// record, so it answers 404 like an id that does not exist.
result<std::int64_t> path_id(const context& ctx, std::string_view name = "id");

// ?from=YYYY-MM-DD&to=YYYY-MM-DD, both days inclusive (UTC); by default the 30 days up to
// today. The range is [from's midnight, the midnight after to).
result<storage::stats_range> query_day_range(const request& req);

// An optional integer query parameter within [min, max].
result<std::optional<std::int64_t>> query_integer(const request& req, std::string_view name,
                                                  std::int64_t min, std::int64_t max);

// Refuses a query parameter not in `accepted`, or one given twice: for an endpoint where a
// misspelt parameter must not silently mean its default (a feed that would start over).
result<void> only_query_params(const request& req,
                               std::initializer_list<std::string_view> accepted);

// Keyset pagination from ?after=&limit= (defaults 0 and 100; at most 1000 rows).
result<storage::page> query_page(const request& req);

// A time as RFC 3339 §5.6 writes it (2024-03-01T08:30:00Z or ...+08:00; fractions of a second
// are dropped). `field` names the value in the message.
result<storage::time_point> parse_time(std::string_view text, std::string_view field);

// An optional time field of a body: `fallback` when absent or null.
result<storage::time_point> time_field(const boost::json::object& body, std::string_view field,
                                       storage::time_point fallback);

// Input echoed in a message: a percent-decoded path or query may hold any byte, and the
// message goes into a JSON body, so only printable ASCII is shown ('?' for the rest), and at
// most 40 characters of it.
std::string shown(std::string_view input);

// A name from a closed set, e.g. a unit kind; `from` is storage's *_from parser.
template <class E, class From>
result<E> enum_value(std::string_view text, std::string_view field, From from,
                     std::string_view accepted) {
  if (auto v = from(text)) return *v;
  return codec::fail(codec::errc::bad_value, "\"" + std::string(field) + "\" is \"" + shown(text) +
                                                 "\"; it must be one of: " + std::string(accepted));
}

// The Idempotency-Key header of a write: 1 to 64 printable ASCII characters, the client's
// name for one request it may send again. With it, a fingerprint of the request (method,
// target, body): the same key with another request is refused. nullopt without the header.
result<std::optional<storage::idempotency>> idempotency_key(const request& req);

// A scanned code as a person or a scanner gives it: its URL or its bare digits. A URL under a
// host not in `own` fails with codec::errc::foreign_host (verdict forged).
result<bytes> code_bytes(std::string_view text, const codec::own_hosts& own);

// The id of a code given as its URL or digits, checked against the published keys first: a
// forged or altered code is refused before it names any record.
result<std::int64_t> signed_code_id(std::string_view text, const codec::key_set& keys);

// The "code" member of a body: a code id (integer) or a code's URL or digits (string).
result<std::int64_t> code_reference(const boost::json::object& body, const codec::key_set& keys);

}  // namespace coldtrace::server::api
