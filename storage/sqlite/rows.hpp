// Reading records out of rows, and the small checks every operation shares. Internal.
#pragma once

#include "storage/error.hpp"
#include "storage/reports.hpp"
#include "storage/sqlite/db.hpp"

#include <initializer_list>

namespace coldtrace::storage::sql {

inline std::int64_t seconds(time_point t) {
  return t.time_since_epoch().count();
}
inline time_point at_seconds(std::int64_t s) {
  return time_point{std::chrono::seconds{s}};
}
inline std::optional<time_point> opt_time(const statement& q, int col) {
  if (q.is_null(col)) return std::nullopt;
  return at_seconds(q.int64(col));
}

// Columns read by read_lot / read_code; the queries alias lots as l, recalls as r, codes as c.
inline constexpr std::string_view lot_columns =
    "l.id, l.warehouse_id, l.product, l.category, l.origin, l.net_weight_g, l.packages,"
    " l.consignor, l.customs_number, l.quarantine_certificate, l.vehicle, l.intake_at,"
    " l.status, l.released_at, l.root_code_id, r.recalled_at, l.manufacturer,"
    " l.plant_registration, l.production_date, l.batch_number, l.storage_temp_c,"
    " l.animal_quarantine_certificate";
// A lot is recalled when a recall of the whole lot (an empty split path) is; a consignment's
// recall (recall_covering) is the codes' business.
inline constexpr std::string_view lot_from =
    " FROM lots l LEFT JOIN recalls r ON r.lot_id = l.id AND length(r.split_path) = 0";
inline constexpr int lot_column_count = 22;
// Whether a recall covers code c: its whole lot's, or a consignment's above it (the recall's
// split path a prefix of the code's). A blob's substr counts bytes on both databases; SQLite's
// substr of an empty blob is NULL, so the whole lot is tested apart.
inline constexpr std::string_view code_recalled_sql =
    "EXISTS (SELECT 1 FROM recalls r WHERE r.lot_id = c.lot_id AND (length(r.split_path) = 0"
    " OR substr(c.split_path, 1, length(r.split_path)) = r.split_path))";
inline constexpr std::string_view code_columns =
    "c.id, c.lot_id, c.parent_id, c.split_path, c.holder_id, c.quantity_g, c.remaining_g,"
    " c.children, c.status, c.issued_at, c.received_at, c.signed";
inline constexpr std::string_view unit_columns =
    "id, credit_code, name, kind, region, registered_at";
inline constexpr std::string_view account_columns =
    "id, unit_id, role, name, created_at, revoked_at";

// The ten columns of a trace node: id, parent_id, split_path, holder_id, holder's name,
// quantity_g, remaining_g, status, issued_at, received_at.
trace_node read_node(const statement& q, int first = 0);
lot_record read_lot(const statement& q, int first = 0);
code_record read_code(const statement& q, int first = 0);
unit_record read_unit(const statement& q, int first = 0);
account_record read_account(const statement& q, int first = 0);

std::optional<unit_record> find_unit(connection& c, unit_id id);
std::optional<lot_record> find_lot(connection& c, lot_id id);
std::optional<code_record> find_code(connection& c, code_id id);
std::string unit_name(connection& c, unit_id id);

// ---- checks shared by the operations --------------------------------------------------

inline std::optional<error> require_role(const actor& by, std::initializer_list<account_role> ok,
                                         std::string_view doing) {
  for (auto r : ok)
    if (by.role == r) return std::nullopt;
  return fail(errc::forbidden,
              "the role " + std::string{to_string(by.role)} + " may not " + std::string{doing},
              "role.forbidden", {{"role", std::string{to_string(by.role)}}});
}

// Whether a text may span lines: a note or a reason may, a name shown on a page may not.
enum class text_lines { one, many };

// A text field: not empty (when required), at most `max` bytes of valid UTF-8, no control
// characters (but newlines and tabs in `many`), and no bidirectional or invisible characters.
// `field` names it in the message ("the product name").
std::optional<error> check_text(std::string_view field, std::string_view value,
                                std::size_t max = 200, bool required = true,
                                text_lines lines = text_lines::one);

// A record the caller may not see answers exactly as one that does not exist: the same
// status and the same words, so ids cannot be probed for another unit's records. `why` is
// wrong_unit for the first, which only storage's own tests tell apart.
inline error no_such(std::string_view what, std::int64_t id, errc why = errc::not_found) {
  return fail(why, std::string{what} + " " + std::to_string(id) + " was not found",
              "not_found.record", {{"what", std::string{what}}, {"id", std::to_string(id)}});
}

// Admins and inspectors read everything.
inline bool reads_everything(const actor& by) {
  return by.role == account_role::admin || by.role == account_role::inspector;
}

}  // namespace coldtrace::storage::sql
