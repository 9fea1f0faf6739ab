// A lot's details at intake (storage/records.hpp lot_details): checked, written into the
// intake event and read back from it by the replay.
#pragma once

#include "storage/error.hpp"
#include "storage/records.hpp"

#include <boost/json/object.hpp>

#include <optional>

namespace coldtrace::storage::sql {

// The first detail that is not acceptable, named for the person who typed it.
std::optional<error> check_details(const lot_details& d, time_point intake_at);

// The event's "details" object, and back; what was not given is left out.
boost::json::object details_json(const lot_details& d);
lot_details details_from_json(const boost::json::object& o);

}  // namespace coldtrace::storage::sql
