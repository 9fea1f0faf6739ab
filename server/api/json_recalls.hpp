// Recalls' follow-up as JSON (storage/recalls.hpp), in the style of json_records.hpp.
#pragma once

#include "server/api/json_records.hpp"
#include "storage/recalls.hpp"

namespace coldtrace::server::api {

json::object to_json(const storage::recall_view& v);
json::object to_json(const storage::recall_proposal& p);

}  // namespace coldtrace::server::api
