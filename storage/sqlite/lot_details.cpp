#include "storage/sqlite/lot_details.hpp"

#include "codec/day.hpp"
#include "storage/sqlite/rows.hpp"

#include <chrono>

namespace coldtrace::storage::sql {
namespace json = boost::json;
namespace {

constexpr std::int64_t coldest_c = -80;    // ultra-low freezers for tuna reach −60 °C
constexpr std::int64_t warmest_c = 30;     // ambient-temperature food
constexpr std::uint32_t first_day = 7305;  // 1990-01-01: older than that is a typo

void put(json::object& o, const char* key, const std::string& v) {
  if (!v.empty()) o[key] = v;
}

std::string get(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->get_string()} : std::string{};
}

}  // namespace

std::optional<error> check_details(const lot_details& d, time_point intake_at) {
  if (auto e = check_text("the manufacturer", d.manufacturer, 200, false)) return e;
  if (auto e =
          check_text("the overseas plant registration number", d.plant_registration, 64, false))
    return e;
  if (auto e = check_text("the batch number", d.batch_number, 64, false)) return e;
  if (auto e = check_text("the animal quarantine certificate number",
                          d.animal_quarantine_certificate, 64, false))
    return e;
  if (!d.production_date.empty()) {
    const auto day = codec::parse_day(d.production_date);
    const auto intake_day = static_cast<std::uint32_t>(
        std::chrono::floor<std::chrono::days>(intake_at.time_since_epoch()).count());
    if (!day || *day < first_day || *day > intake_day)
      return fail(errc::invalid_input,
                  "the production date \"" + d.production_date +
                      "\" is not a date (YYYY-MM-DD) between 1990 and the day of intake",
                  "intake.production_date", {{"value", d.production_date}});
  }
  if (d.storage_temp_c && (*d.storage_temp_c < coldest_c || *d.storage_temp_c > warmest_c))
    return fail(errc::invalid_input,
                "the storage temperature must be between " + std::to_string(coldest_c) +
                    " °C and " + std::to_string(warmest_c) + " °C",
                "intake.storage_temp", {});
  return std::nullopt;
}

json::object details_json(const lot_details& d) {
  json::object o;
  put(o, "manufacturer", d.manufacturer);
  put(o, "plant_registration", d.plant_registration);
  put(o, "production_date", d.production_date);
  put(o, "batch_number", d.batch_number);
  if (d.storage_temp_c) o["storage_temp_c"] = *d.storage_temp_c;
  put(o, "animal_quarantine_certificate", d.animal_quarantine_certificate);
  return o;
}

lot_details details_from_json(const json::object& o) {
  lot_details d;
  d.manufacturer = get(o, "manufacturer");
  d.plant_registration = get(o, "plant_registration");
  d.production_date = get(o, "production_date");
  d.batch_number = get(o, "batch_number");
  if (const auto* t = o.if_contains("storage_temp_c"); t && t->is_int64())
    d.storage_temp_c = t->get_int64();
  d.animal_quarantine_certificate = get(o, "animal_quarantine_certificate");
  return d;
}

}  // namespace coldtrace::storage::sql
