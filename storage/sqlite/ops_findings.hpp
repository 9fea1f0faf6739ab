// The operations on an inspection's findings (storage/findings.hpp): photos, follow-ups, the
// bureau's list and the counts for the statistics. Internal, as ops.hpp.
#pragma once

#include "storage/findings.hpp"
#include "storage/records.hpp"
#include "storage/requests.hpp"
#include "storage/sqlite/db.hpp"

#include <boost/json/array.hpp>

#include <vector>

namespace coldtrace::storage::sql::ops {

// Inside record_inspection: checks the vendor and the findings before anything is written.
std::optional<error> check_vendor(connection& c, const context& ctx, vendor_info& v);
std::optional<error> check_findings(const context& ctx, const std::vector<finding_request>& f);
// Writes the findings of inspection `id`; the event's "findings" (with their ids) returned.
boost::json::array insert_findings(connection& c, std::int64_t inspection,
                                   const std::vector<finding_request>& f,
                                   std::vector<finding_record>& out);
// The findings of inspection `id`, by id (overdue as of `now`).
std::vector<finding_record> inspection_findings(connection& c, std::int64_t inspection,
                                                time_point now);

result<finding_record> attach_photo(connection& c, const context& ctx, const photo_request& r);
result<finding_record> follow_up(connection& c, const context& ctx, const follow_up_request& r);
result<std::vector<finding_record>> list_findings(connection& c, const actor& by,
                                                  const findings_query& q, page p);
result<photo> finding_photo(connection& c, const actor& by, std::int64_t finding);

// For the statistics: no rule about who asks (the stats read checks that).
finding_counts count_findings(connection& c, time_point from, time_point to, time_point now);

// The media type of a photo by its first bytes ("image/jpeg", "image/png"), or empty.
std::string_view sniff_photo(bytes_view data);

}  // namespace coldtrace::storage::sql::ops
