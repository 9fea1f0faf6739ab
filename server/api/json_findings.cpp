#include "server/api/json_findings.hpp"

#include "server/api/json_records.hpp"

namespace coldtrace::server::api {

json::object to_json(const storage::vendor_info& v) {
  return {
      {"name", v.name},
      {"address", v.address},
      {"credit_code", v.credit_code.empty() ? json::value(nullptr) : json::value(v.credit_code)},
      {"region", v.region}};
}

json::object to_json(const storage::finding_record& f) {
  const auto id = std::to_string(f.id);
  json::object o{
      {"id", f.id},
      {"inspection", f.inspection},
      {"product", f.product},
      {"category", f.category},
      {"weight_g", f.weight_g},
      {"action", storage::to_string(f.action)},
      {"deadline", f.deadline ? json::value(iso_time(*f.deadline)) : json::value(nullptr)},
      {"photo",
       f.photo_type ? json::value("/api/v1/findings/" + id + "/photo") : json::value(nullptr)},
      {"status", f.closed_at   ? "closed"
                 : !f.deadline ? "recorded"
                 : f.overdue   ? "overdue"
                               : "open"},
      {"follow_up", f.closed_at ? json::value(json::object{{"at", iso_time(*f.closed_at)},
                                                           {"by", f.closed_by},
                                                           {"note", f.follow_up}})
                                : json::value(nullptr)},
  };
  // Where it was found: set by the bureau's list, not inside an inspection's record.
  if (f.inspector != 0) {
    o["inspected_at"] = iso_time(f.inspected_at);
    o["inspector"] = f.inspector;
    o["unit"] = f.unit == 0 ? json::value(nullptr) : json::value(f.unit);
    o["place"] = f.place_name;
    o["region"] = f.region;
  }
  return o;
}

}  // namespace coldtrace::server::api
