// Decoding what an inspection finds (storage/findings.hpp): the vendor, the items, follow-ups,
// the bureau's query. Each failure is a 4xx with a message for the person who sent it.
#pragma once

#include "server/http.hpp"
#include "storage/findings.hpp"
#include "storage/requests.hpp"

#include <boost/json/object.hpp>

namespace coldtrace::server::api {

// Fills r.vendor and r.findings from an inspection body that passed its field checks.
result<void> decode_inspection_extras(const boost::json::object& o, storage::inspection_request& r);
result<storage::follow_up_request> decode_follow_up(std::string_view body, std::int64_t finding);
// ?state=open|overdue|closed|all (default open), ?region=, ?unit=.
result<storage::findings_query> query_findings(const request& req, storage::time_point now);

}  // namespace coldtrace::server::api
