// Inspection findings as JSON (storage/findings.hpp), in json_records.hpp's conventions.
#pragma once

#include "storage/findings.hpp"

#include <boost/json/object.hpp>

namespace coldtrace::server::api {

boost::json::object to_json(const storage::finding_record& f);
boost::json::object to_json(const storage::vendor_info& v);

}  // namespace coldtrace::server::api
