#include "storage/sqlite/rows.hpp"

#include <cstdio>

namespace coldtrace::storage::sql {
namespace {

// The next code point of well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF) at `i`, advancing `i`; nullopt for a malformed sequence.
std::optional<std::uint32_t> next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (b < 0x80) {
    ++i;
    return b;
  } else if ((b & 0xE0) == 0xC0) {
    n = 1, cp = b & 0x1Fu;
  } else if ((b & 0xF0) == 0xE0) {
    n = 2, cp = b & 0x0Fu;
  } else if ((b & 0xF8) == 0xF0) {
    n = 3, cp = b & 0x07u;
  } else {
    return std::nullopt;
  }
  if (i + n >= s.size()) return std::nullopt;  // truncated sequence
  for (std::size_t k = 1; k <= n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (c & 0x3Fu);
  }
  static constexpr std::uint32_t min_of[] = {0, 0x80, 0x800, 0x10000};
  if (cp < min_of[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += n + 1;
  return cp;
}

// Characters that change how text around them is shown without being seen themselves:
// bidirectional controls (a name could read "evil.exe" as "exe.live") and zero-width or
// invisible ones (two names that look identical but differ). A public page shows these
// names, so the ledger refuses them rather than escaping them everywhere.
bool hidden(std::uint32_t cp) {
  return cp == 0x00AD ||                    // soft hyphen
         cp == 0x061C ||                    // Arabic letter mark
         (cp >= 0x200B && cp <= 0x200F) ||  // zero-width space, (non-)joiner, LRM, RLM
         (cp >= 0x202A && cp <= 0x202E) ||  // embeddings and overrides
         (cp >= 0x2060 && cp <= 0x2064) ||  // word joiner, invisible operators
         (cp >= 0x2066 && cp <= 0x2069) ||  // isolates
         cp == 0xFEFF;                      // zero-width no-break space (BOM)
}

std::string code_point_name(std::uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

}  // namespace

trace_node read_node(const statement& q, int i) {
  return trace_node{q.int64(i + 0),
                    q.opt_int64(i + 1),
                    q.blob(i + 2),
                    q.int64(i + 3),
                    q.text(i + 4),
                    q.int64(i + 5),
                    q.int64(i + 6),
                    code_status_from(q.text(i + 7)).value_or(code_status::pending),
                    at_seconds(q.int64(i + 8)),
                    opt_time(q, i + 9)};
}

lot_record read_lot(const statement& q, int i) {
  lot_record l;
  l.id = q.int64(i + 0);
  l.warehouse = q.int64(i + 1);
  l.product = q.text(i + 2);
  l.category = q.text(i + 3);
  l.origin = q.text(i + 4);
  l.net_weight_g = q.int64(i + 5);
  l.packages = q.int64(i + 6);
  l.consignor = q.text(i + 7);
  l.customs_number = q.text(i + 8);
  l.quarantine_certificate = q.text(i + 9);
  l.vehicle = q.text(i + 10);
  l.intake_at = at_seconds(q.int64(i + 11));
  l.status = lot_status_from(q.text(i + 12)).value_or(lot_status::held);
  l.released_at = opt_time(q, i + 13);
  l.root_code = q.int64(i + 14);
  l.recalled_at = opt_time(q, i + 15);
  l.details.manufacturer = q.text(i + 16);
  l.details.plant_registration = q.text(i + 17);
  l.details.production_date = q.text(i + 18);
  l.details.batch_number = q.text(i + 19);
  l.details.storage_temp_c = q.opt_int64(i + 20);
  l.details.animal_quarantine_certificate = q.text(i + 21);
  return l;
}

code_record read_code(const statement& q, int i) {
  code_record c;
  c.id = q.int64(i + 0);
  c.lot = q.int64(i + 1);
  c.parent = q.opt_int64(i + 2);
  c.split_path = q.blob(i + 3);
  c.holder = q.int64(i + 4);
  c.quantity_g = q.int64(i + 5);
  c.remaining_g = q.int64(i + 6);
  c.children = q.int32(i + 7);
  c.status = code_status_from(q.text(i + 8)).value_or(code_status::pending);
  c.issued_at = at_seconds(q.int64(i + 9));
  c.received_at = opt_time(q, i + 10);
  c.signed_code = q.blob(i + 11);
  return c;
}

unit_record read_unit(const statement& q, int i) {
  unit_record u;
  u.id = q.int64(i + 0);
  u.credit_code = q.text(i + 1);
  u.name = q.text(i + 2);
  u.kind = unit_kind_from(q.text(i + 3)).value_or(unit_kind::seller);
  u.region = q.text(i + 4);
  u.registered_at = at_seconds(q.int64(i + 5));
  return u;
}

account_record read_account(const statement& q, int i) {
  account_record a;
  a.id = q.int64(i + 0);
  a.unit = q.int64(i + 1);
  a.role = account_role_from(q.text(i + 2)).value_or(account_role::unit_operator);
  a.name = q.text(i + 3);
  a.created_at = at_seconds(q.int64(i + 4));
  a.revoked_at = opt_time(q, i + 5);
  return a;
}

std::optional<unit_record> find_unit(connection& c, unit_id id) {
  static const std::string sql = "SELECT " + std::string{unit_columns} + " FROM units WHERE id = ?";
  auto q = c.query(sql);
  q.with(id);
  if (!q.step()) return std::nullopt;
  return read_unit(q);
}

std::optional<lot_record> find_lot(connection& c, lot_id id) {
  static const std::string sql =
      "SELECT " + std::string{lot_columns} + std::string{lot_from} + " WHERE l.id = ?";
  auto q = c.query(sql);
  q.with(id);
  if (!q.step()) return std::nullopt;
  return read_lot(q);
}

std::optional<code_record> find_code(connection& c, code_id id) {
  static const std::string sql =
      "SELECT " + std::string{code_columns} + " FROM codes c WHERE c.id = ?";
  auto q = c.query(sql);
  q.with(id);
  if (!q.step()) return std::nullopt;
  return read_code(q);
}

std::string unit_name(connection& c, unit_id id) {
  auto q = c.query("SELECT name FROM units WHERE id = ?");
  q.with(id);
  return q.step() ? q.text(0) : std::string{};
}

std::optional<error> check_text(std::string_view field, std::string_view value, std::size_t max,
                                bool required, text_lines lines) {
  if (required && value.empty())
    return fail(errc::invalid_input, std::string{field} + " is required", "text.required",
                {{"field", std::string{field}}});
  if (value.size() > max)
    return fail(errc::invalid_input,
                std::string{field} + " is longer than " + std::to_string(max) + " bytes",
                "text.too_long", {{"field", std::string{field}}, {"max", std::to_string(max)}});
  for (std::size_t i = 0; i < value.size();) {
    const auto cp = next_code_point(value, i);
    if (!cp) return fail(errc::invalid_input, std::string{field} + " is not valid UTF-8 text");
    const bool layout = *cp == '\n' || *cp == '\t';
    if ((*cp < 0x20 || (*cp >= 0x7F && *cp <= 0x9F)) && !(layout && lines == text_lines::many))
      return fail(
          errc::invalid_input,
          std::string{field} + " contains a control character (" + code_point_name(*cp) + ")",
          "text.control", {{"field", std::string{field}}, {"char", code_point_name(*cp)}});
    if (hidden(*cp))
      return fail(errc::invalid_input,
                  std::string{field} + " contains an invisible or direction-changing character (" +
                      code_point_name(*cp) + "); remove it",
                  "text.hidden", {{"field", std::string{field}}, {"char", code_point_name(*cp)}});
  }
  return std::nullopt;
}

}  // namespace coldtrace::storage::sql
