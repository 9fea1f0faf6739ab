// An inspection's findings (issue 10): the vendor and items checked with the inspection, a
// photo per finding, the follow-up that closes it, the bureau's list and the counts.
#include "storage/sqlite/ops_findings.hpp"

#include "codec/identifiers.hpp"
#include "storage/digest.hpp"
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace coldtrace::storage::sql::ops {
namespace json = boost::json;
namespace {

constexpr std::size_t max_findings = 200;
constexpr std::int64_t max_weight_g = 1'000'000'000;  // a thousand tonnes
constexpr auto max_deadline = std::chrono::days{366};

// A finding's columns, then where it was found (f, p, i, u as in finding_from).
constexpr const char* finding_columns =
    "f.id, f.inspection_id, f.product, f.category, f.weight_g, f.action, f.deadline,"
    " p.media_type, f.closed_at, f.closed_by, f.follow_up, i.inspected_at, i.inspector_id,"
    " i.unit_id, coalesce(u.name, i.vendor_name), coalesce(u.region, i.vendor_region)";
constexpr const char* finding_from =
    " FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id"
    " LEFT JOIN units u ON u.id = i.unit_id LEFT JOIN inspection_photos p ON p.id = f.id";

finding_record read_finding(const statement& q, time_point now) {
  finding_record f;
  f.id = q.int64(0);
  f.inspection = q.int64(1);
  f.product = q.text(2);
  f.category = q.text(3);
  f.weight_g = q.int64(4);
  f.action = finding_action_from(q.text(5)).value_or(finding_action::stop_selling);
  if (!q.is_null(6)) f.deadline = at_seconds(q.int64(6));
  if (!q.is_null(7)) f.photo_type = q.text(7);
  if (!q.is_null(8)) f.closed_at = at_seconds(q.int64(8));
  f.closed_by = q.is_null(9) ? 0 : q.int64(9);
  f.follow_up = q.text(10);
  f.inspected_at = at_seconds(q.int64(11));
  f.inspector = q.int64(12);
  f.unit = q.is_null(13) ? 0 : q.int64(13);
  f.place_name = q.text(14);
  f.region = q.text(15);
  f.overdue = !f.closed_at && f.deadline && *f.deadline < now;
  return f;
}

std::optional<finding_record> find_finding(connection& c, std::int64_t id, time_point now) {
  auto q = c.query(std::string{"SELECT "} + finding_columns + finding_from + " WHERE f.id = ?");
  q.with(id);
  if (!q.step()) return std::nullopt;
  return read_finding(q, now);
}

std::optional<error> require_regulator(const actor& by, std::string_view doing) {
  if (reads_everything(by)) return std::nullopt;
  return require_role(by, {account_role::admin, account_role::inspector}, doing);
}

}  // namespace

std::string_view sniff_photo(bytes_view d) {
  static constexpr std::array<std::uint8_t, 8> png{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  if (d.size() >= png.size() && std::equal(png.begin(), png.end(), d.begin())) return "image/png";
  if (d.size() >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) return "image/jpeg";
  return {};
}

std::optional<error> check_vendor(connection& c, const context& ctx, vendor_info& v) {
  if (auto e = check_text("the vendor's name", v.name)) return e;
  if (auto e = check_text("the vendor's address", v.address, 400)) return e;
  if (!v.credit_code.empty()) {
    std::transform(v.credit_code.begin(), v.credit_code.end(), v.credit_code.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    if (auto ok = codec::check_credit_code(v.credit_code); !ok)
      return fail(errc::invalid_input, ok.error().message);
  }
  if (v.region.empty()) {
    if (auto own = find_unit(c, ctx.by.unit)) v.region = own->region;
  } else if (auto e = check_text("the region", v.region)) {
    return e;
  }
  return std::nullopt;
}

std::optional<error> check_findings(const context& ctx, const std::vector<finding_request>& list) {
  if (list.size() > max_findings)
    return fail(errc::invalid_input,
                "an inspection records at most " + std::to_string(max_findings) + " items",
                "finding.too_many", {{"max", std::to_string(max_findings)}});
  for (const auto& f : list) {
    if (auto e = check_text("the product name", f.product)) return e;
    if (!codec::find_category(f.category))
      return fail(errc::invalid_input, "there is no category \"" + f.category + "\"",
                  "intake.category", {{"value", f.category}});
    if (f.weight_g <= 0 || f.weight_g > max_weight_g)
      return fail(errc::invalid_input,
                  "an item's estimated weight is between 1 gram and a thousand tonnes",
                  "finding.weight", {});
    if (f.deadline && (*f.deadline <= ctx.at || *f.deadline > ctx.at + max_deadline))
      return fail(errc::invalid_input,
                  "a rectification deadline is after the inspection and within a year of it",
                  "finding.deadline", {});
  }
  return std::nullopt;
}

json::array insert_findings(connection& c, std::int64_t inspection,
                            const std::vector<finding_request>& list,
                            std::vector<finding_record>& out) {
  json::array events;
  for (const auto& f : list) {
    std::optional<std::int64_t> deadline;
    if (f.deadline) deadline.emplace(seconds(*f.deadline));
    c.query(
         "INSERT INTO inspection_findings (inspection_id, product, category, weight_g, action,"
         " deadline) VALUES (?, ?, ?, ?, ?, ?)")
        .with(inspection, f.product, f.category, f.weight_g, to_string(f.action), deadline)
        .run();
    finding_record r;
    r.id = c.last_insert_id();
    r.inspection = inspection;
    r.product = f.product;
    r.category = f.category;
    r.weight_g = f.weight_g;
    r.action = f.action;
    r.deadline = f.deadline;
    json::object o{{"finding", r.id},
                   {"product", f.product},
                   {"category", f.category},
                   {"weight_g", f.weight_g},
                   {"action", to_string(f.action)}};
    if (f.deadline) o["deadline"] = seconds(*f.deadline);
    events.push_back(std::move(o));
    out.push_back(std::move(r));
  }
  return events;
}

std::vector<finding_record> inspection_findings(connection& c, std::int64_t inspection,
                                                time_point now) {
  auto q = c.query(std::string{"SELECT "} + finding_columns + finding_from +
                   " WHERE f.inspection_id = ? ORDER BY f.id");
  q.with(inspection);
  std::vector<finding_record> out;
  while (q.step()) out.push_back(read_finding(q, now));
  return out;
}

result<finding_record> attach_photo(connection& c, const context& ctx, const photo_request& r) {
  if (auto e = require_role(ctx.by, {account_role::inspector}, "add photos to findings")) return *e;
  auto f = find_finding(c, r.finding, ctx.at);
  if (!f) return no_such("finding", r.finding);
  if (f->inspector != ctx.by.account)
    return fail(errc::forbidden,
                "only the inspector who recorded finding " + std::to_string(r.finding) +
                    " may add its photo",
                "finding.not_yours", {{"finding", std::to_string(r.finding)}});
  if (f->photo_type)
    return fail(errc::duplicate, "finding " + std::to_string(r.finding) + " has a photo already",
                "finding.photo_exists", {{"finding", std::to_string(r.finding)}});
  if (r.data.size() > max_photo_bytes)
    return fail(errc::invalid_input,
                "a photo is at most " + std::to_string(max_photo_bytes / 1024) + " KiB",
                "photo.too_large", {{"max", std::to_string(max_photo_bytes / 1024)}});
  const auto type = sniff_photo(r.data);
  if (type.empty())
    return fail(errc::invalid_input, "the photo is not a JPEG or PNG image", "photo.not_image", {});
  if (type != r.media_type)
    return fail(errc::invalid_input,
                "the photo was sent as " + r.media_type + " but is " + std::string{type},
                "photo.type_mismatch", {{"sent", r.media_type}, {"is", std::string{type}}});
  const auto digest = sha256(r.data);
  const bytes hash{digest.begin(), digest.end()};
  const auto size = static_cast<std::int64_t>(r.data.size());
  c.query(
       "INSERT INTO inspection_photos (id, media_type, size, sha256, data, added_by, added_at)"
       " VALUES (?, ?, ?, ?, ?, ?, ?)")
      .with(r.finding, std::string{type}, size, hash, r.data, ctx.by.account, seconds(ctx.at))
      .run();
  append_event(
      c, ctx, "finding.photo", "finding/" + std::to_string(r.finding),
      json::object{{"media_type", std::string{type}}, {"size", size}, {"sha256", to_hex(hash)}});
  f->photo_type = std::string{type};
  return *f;
}

result<finding_record> follow_up(connection& c, const context& ctx, const follow_up_request& r) {
  if (auto e = require_role(ctx.by, {account_role::inspector}, "record follow-ups")) return *e;
  auto f = find_finding(c, r.finding, ctx.at);
  if (!f) return no_such("finding", r.finding);
  if (f->closed_at)
    return fail(errc::duplicate,
                "finding " + std::to_string(r.finding) + " was followed up already",
                "finding.closed", {{"finding", std::to_string(r.finding)}});
  if (auto e = check_text("the follow-up", r.note, 4000, true, text_lines::many)) return *e;
  c.query("UPDATE inspection_findings SET closed_at = ?, closed_by = ?, follow_up = ? WHERE id = ?")
      .with(seconds(ctx.at), ctx.by.account, r.note, r.finding)
      .run();
  append_event(c, ctx, "finding.follow_up", "finding/" + std::to_string(r.finding),
               json::object{{"note", r.note}});
  f->closed_at = ctx.at;
  f->closed_by = ctx.by.account;
  f->follow_up = r.note;
  f->overdue = false;
  return *f;
}

result<std::vector<finding_record>> list_findings(connection& c, const actor& by,
                                                  const findings_query& fq, page p) {
  if (auto e = require_regulator(by, "read inspection findings")) return *e;
  std::string where;
  switch (fq.state) {
    case finding_state::open: where = " AND f.deadline IS NOT NULL AND f.closed_at IS NULL"; break;
    case finding_state::overdue:
      where = " AND f.deadline IS NOT NULL AND f.closed_at IS NULL AND f.deadline < ?5";
      break;
    case finding_state::closed: where = " AND f.closed_at IS NOT NULL"; break;
    case finding_state::all: where = " AND ?5 = ?5"; break;
  }
  if (fq.state != finding_state::overdue && fq.state != finding_state::all)
    where += " AND ?5 = ?5";  // every parameter is used, on both engines
  auto q = c.query(std::string{"SELECT "} + finding_columns + finding_from +
                   " WHERE f.id > ?1 AND (?2 = '' OR coalesce(u.region, i.vendor_region) = ?2)"
                   " AND (?3 IS NULL OR i.unit_id = ?3)" +
                   where + " ORDER BY f.id LIMIT ?4");
  q.bind(1, p.after).bind(2, fq.region).bind(3, fq.unit).bind(4, p.limit).bind(5, seconds(fq.now));
  std::vector<finding_record> out;
  while (q.step()) out.push_back(read_finding(q, fq.now));
  return out;
}

result<photo> finding_photo(connection& c, const actor& by, std::int64_t finding) {
  if (auto e = require_regulator(by, "see inspection photos")) return *e;
  auto q = c.query("SELECT media_type, data FROM inspection_photos WHERE id = ?");
  q.with(finding);
  if (!q.step()) return no_such("photo of finding", finding);
  return photo{q.text(0), q.blob(1)};
}

finding_counts count_findings(connection& c, time_point from, time_point to, time_point now) {
  finding_counts out;
  auto q = c.query(
      "SELECT"
      " (SELECT count(*) FROM inspection_findings f JOIN inspections i"
      "  ON i.id = f.inspection_id WHERE i.inspected_at >= ?1 AND i.inspected_at < ?2),"
      " (SELECT count(*) FROM inspection_findings WHERE closed_at >= ?1 AND closed_at < ?2),"
      " (SELECT count(*) FROM inspection_findings WHERE closed_at IS NULL"
      "  AND deadline IS NOT NULL AND deadline < ?3)");
  q.bind(1, seconds(from)).bind(2, seconds(to)).bind(3, seconds(now));
  if (q.step()) {
    out.opened = q.int64(0);
    out.rectified = q.int64(1);
    out.overdue = q.int64(2);
  }
  return out;
}

}  // namespace coldtrace::storage::sql::ops
