#include "storage/sqlite/replay.hpp"

#include "codec/payload.hpp"

#include "storage/digest.hpp"
#include "storage/sqlite/lot_details.hpp"
#include "storage/sqlite/schema.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace coldtrace::storage::sql {
namespace json = boost::json;
namespace {

struct event {
  std::int64_t seq = 0, at = 0, account = 0, unit = 0;
  std::string type, subject;
  json::object data;
};

std::int64_t num(const json::object& o, std::string_view key) {
  return o.at(key).to_number<std::int64_t>();
}
std::optional<std::int64_t> opt_num(const json::object& o, std::string_view key) {
  if (!o.contains(key)) return std::nullopt;
  return num(o, key);
}
std::string str(const json::object& o, std::string_view key) {
  return std::string{o.at(key).as_string()};
}
std::int64_t subject_id(const event& e) {
  const auto slash = e.subject.find('/');
  if (slash == std::string::npos) throw std::runtime_error("the subject has no id");
  return std::stoll(e.subject.substr(slash + 1));
}

// A column the events could not give (they predate the data), taken from the file.
struct cell {
  std::string table, column;
  std::int64_t id;
  auto operator<=>(const cell&) const = default;
};

// Applies events to the replay database, writing each row as the operation that appended
// the event wrote it (ops_*.cpp); the two must change together.
class replayer {
 public:
  explicit replayer(connection& db) : db_(db) {}
  void apply(const event& e);
  std::set<cell> unproven;
  std::vector<std::int64_t> photos;  // their bytes copied from the file, proven by digest

 private:
  void mark(std::string table, std::string column, std::int64_t id, bool proven) {
    cell c{std::move(table), std::move(column), id};
    if (proven)
      unproven.erase(c);
    else
      unproven.insert(std::move(c));
  }
  void insert_code(const event& e, std::int64_t id, std::int64_t lot,
                   std::optional<std::int64_t> parent, const bytes& path, std::int64_t holder,
                   std::int64_t grams, std::string_view status,
                   std::optional<std::int64_t> received_at);
  void intake(const event& e);
  void dispatch(const event& e);
  void sale_check(const event& e);
  void inspection(const event& e);
  void finding(const event& e);
  void recall(const event& e);
  void recall_follow_up(const event& e);
  connection& db_;
};

void replayer::insert_code(const event& e, std::int64_t id, std::int64_t lot,
                           std::optional<std::int64_t> parent, const bytes& path,
                           std::int64_t holder, std::int64_t grams, std::string_view status,
                           std::optional<std::int64_t> received_at) {
  bytes signed_code;
  const bool known =
      e.data.contains("signed") && base64url_decode(e.data.at("signed").as_string(), signed_code);
  db_.query(
         "INSERT INTO codes (id, lot_id, parent_id, split_path, holder_id, quantity_g,"
         " remaining_g, status, issued_at, received_at, signed)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .with(id, lot, parent, path, holder, grams, grams, status, e.at, received_at, signed_code)
      .run();
  mark("codes", "signed", id, known);
}

void replayer::intake(const event& e) {
  const auto& d = e.data;
  const auto lot = subject_id(e);
  const auto* given = d.if_contains("details");
  const auto more =
      given && given->is_object() ? details_from_json(given->get_object()) : lot_details{};
  db_.query(
         "INSERT INTO lots (id, warehouse_id, product, category, origin, net_weight_g, packages,"
         " consignor, customs_number, quarantine_certificate, vehicle, intake_at, status,"
         " manufacturer, plant_registration, production_date, batch_number, storage_temp_c,"
         " animal_quarantine_certificate)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?, ?, ?, ?, ?, ?)")
      .with(lot, e.unit, str(d, "product"), str(d, "category"), str(d, "origin"),
            num(d, "net_weight_g"), num(d, "packages"), str(d, "consignor"),
            str(d, "customs_number"), str(d, "quarantine_certificate"), str(d, "vehicle"), e.at,
            more.manufacturer, more.plant_registration, more.production_date, more.batch_number,
            more.storage_temp_c, more.animal_quarantine_certificate)
      .run();
  const auto code = num(d, "code");
  insert_code(e, code, lot, std::nullopt, bytes{}, e.unit, num(d, "net_weight_g"), "active", e.at);
  db_.query("UPDATE lots SET root_code_id = ? WHERE id = ?").with(code, lot).run();
}

void replayer::dispatch(const event& e) {
  const auto& d = e.data;
  const auto from = num(d, "from"), grams = num(d, "quantity_g");
  auto parent = db_.query("SELECT lot_id, split_path, children, holder_id FROM codes WHERE id = ?");
  parent.with(from);
  if (!parent.step()) throw std::runtime_error("no code " + std::to_string(from) + " to split");
  const auto lot = parent.int64(0), holder = parent.int64(3);
  bytes path = parent.blob(1);
  codec::append_split_level(path, static_cast<std::uint32_t>(parent.int64(2) + 1));
  const auto child = subject_id(e);
  insert_code(e, child, lot, from, path, num(d, "consignee"), grams, "pending", std::nullopt);
  db_.query("UPDATE codes SET remaining_g = remaining_g - ?, children = children + 1 WHERE id = ?")
      .with(grams, from)
      .run();
  db_.query(
         "INSERT INTO transfers (id, code_id, from_code_id, from_unit, to_unit, quantity_g,"
         " dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .with(opt_num(d, "transfer"), child, from, holder, num(d, "consignee"), grams, e.at)
      .run();
}

void replayer::sale_check(const event& e) {
  const auto& d = e.data;
  std::optional<std::int64_t> code;
  if (e.subject.starts_with("code/")) code = subject_id(e);
  const auto sale = opt_num(d, "sale");
  if (sale) {
    db_.query(
           "INSERT INTO sales (id, code_id, unit_id, account_id, quantity_g, sold_at)"
           " VALUES (?, ?, ?, ?, ?, ?)")
        .with(*sale, code, num(d, "unit"), e.account, num(d, "quantity_g"), e.at)
        .run();
    db_.query("UPDATE codes SET remaining_g = remaining_g - ? WHERE id = ?")
        .with(num(d, "quantity_g"), code)
        .run();
  }
  db_.query(
         "INSERT INTO sale_checks (id, code_id, unit_id, account_id, verdict, quantity_g,"
         " sale_id, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .with(opt_num(d, "check"), code, num(d, "unit"), e.account, str(d, "verdict"),
            opt_num(d, "quantity_g"), sale, e.at)
      .run();
  // Older events named the quantity asked for only when it was sold.
  if (!d.contains("check") && !sale) mark("sale_checks", "quantity_g", db_.last_insert_id(), false);
}

void replayer::inspection(const event& e) {
  const auto& d = e.data;
  const auto id = subject_id(e);
  // Before migration 11 every inspection was at a registered unit and found no items.
  std::optional<std::string> name, address, credit_code, region;
  if (d.contains("vendor")) {
    const auto& v = d.at("vendor").as_object();
    name = str(v, "name");
    address = str(v, "address");
    credit_code = str(v, "credit_code");
    region = str(v, "region");
  }
  db_.query(
         "INSERT INTO inspections (id, inspector_id, unit_id, inspected_at, uncoded_items, note,"
         " vendor_name, vendor_address, vendor_credit_code, vendor_region)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .with(id, e.account, opt_num(d, "unit"), e.at, num(d, "uncoded_items"), str(d, "note"), name,
            address, credit_code, region)
      .run();
  std::int64_t ordinal = 0;
  for (const auto& v : d.at("codes").as_array()) {
    const auto& o = v.as_object();
    db_.query(
           "INSERT INTO inspection_codes (inspection_id, ordinal, code_id, verdict)"
           " VALUES (?, ?, ?, ?)")
        .with(id, ordinal++, opt_num(o, "code"), str(o, "verdict"))
        .run();
  }
  if (!d.contains("findings")) return;
  for (const auto& v : d.at("findings").as_array()) {
    const auto& f = v.as_object();
    db_.query(
           "INSERT INTO inspection_findings (id, inspection_id, product, category, weight_g,"
           " action, deadline) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .with(num(f, "finding"), id, str(f, "product"), str(f, "category"), num(f, "weight_g"),
              str(f, "action"), opt_num(f, "deadline"))
        .run();
  }
}

// A finding's photo and follow-up (ops_findings.cpp). The photo's bytes are not in the event
// (the chain would carry every picture): its digest is, and verify_state checks the bytes the
// database holds against it.
void replayer::finding(const event& e) {
  const auto& d = e.data;
  const auto id = subject_id(e);
  if (e.type == "finding.photo") {
    bytes digest;
    if (!from_hex(str(d, "sha256"), digest))
      throw std::runtime_error("the photo's sha256 is not hex");
    db_.query(
           "INSERT INTO inspection_photos (id, media_type, size, sha256, data, added_by, added_at)"
           " VALUES (?, ?, ?, ?, x'', ?, ?)")
        .with(id, str(d, "media_type"), num(d, "size"), digest, e.account, e.at)
        .run();
    photos.push_back(id);
  } else if (e.type == "finding.follow_up") {
    db_.query(
           "UPDATE inspection_findings SET closed_at = ?, closed_by = ?, follow_up = ?"
           " WHERE id = ?")
        .with(e.at, e.account, str(d, "note"), id)
        .run();
  } else {
    throw std::runtime_error("the replay does not know events of type " + e.type);
  }
}

void replayer::recall(const event& e) {
  const auto& d = e.data;
  const auto id = num(d, "recall"), lot = subject_id(e);
  bytes path;
  // Recalls before migration 6 were of whole lots and notified nobody.
  if (!d.contains("path")) {
    db_.query(
           "INSERT INTO recalls (id, lot_id, reason, account_id, recalled_at)"
           " VALUES (?, ?, ?, ?, ?)")
        .with(id, lot, str(d, "reason"), e.account, e.at)
        .run();
    return;
  }
  if (!from_hex(str(d, "path"), path)) throw std::runtime_error("the recall's path is not hex");
  db_.query(
         "INSERT INTO recalls (id, lot_id, reason, account_id, recalled_at, code_id, split_path)"
         " VALUES (?, ?, ?, ?, ?, ?, ?)")
      .with(id, lot, str(d, "reason"), e.account, e.at, opt_num(d, "code"), path)
      .run();
  for (const auto& v : d.at("holders").as_array()) {
    const auto& h = v.as_object();
    db_.query(
           "INSERT INTO recall_holders (recall_id, unit_id, held_g, in_transit_g, sold_g,"
           " notified_at) VALUES (?, ?, ?, ?, ?, ?)")
        .with(id, num(h, "unit"), num(h, "held_g"), num(h, "in_transit_g"), num(h, "sold_g"), e.at)
        .run();
  }
  db_.query(
         "UPDATE recall_proposals SET status = 'confirmed', recall_id = ?1, decided_by = ?2,"
         " decided_at = ?3 WHERE status = 'open' AND (id = ?4 OR (?5 = 0 AND lot_id = ?6))")
      .with(id, e.account, e.at, opt_num(d, "proposal").value_or(0),
            static_cast<std::int64_t>(path.size()), lot)
      .run();
}

void replayer::recall_follow_up(const event& e) {
  const auto& d = e.data;
  const auto& t = e.type;
  if (t == "recall.propose") {
    db_.query(
           "INSERT INTO recall_proposals (id, lot_id, sample_id, proposed_at, status)"
           " VALUES (?, ?, ?, ?, 'open')")
        .with(num(d, "proposal"), subject_id(e), num(d, "sample"), e.at)
        .run();
  } else if (t == "recall.dismiss") {
    db_.query(
           "UPDATE recall_proposals SET status = 'dismissed', decided_by = ?, decided_at = ?,"
           " note = ? WHERE id = ?")
        .with(e.account, e.at, str(d, "reason"), subject_id(e))
        .run();
  } else if (t == "recall.seen") {
    db_.query("UPDATE recall_holders SET seen_at = ? WHERE recall_id = ? AND unit_id = ?")
        .with(e.at, subject_id(e), num(d, "unit"))
        .run();
  } else if (t == "recall.respond") {
    db_.query(
           "UPDATE recall_holders SET seen_at = coalesce(seen_at, ?1), acted_at = ?1,"
           " sealed_g = ?2, returned_g = ?3, destroyed_g = ?4, note = ?5"
           " WHERE recall_id = ?6 AND unit_id = ?7")
        .with(e.at, num(d, "sealed_g"), num(d, "returned_g"), num(d, "destroyed_g"), str(d, "note"),
              subject_id(e), num(d, "unit"))
        .run();
  } else {
    throw std::runtime_error("the replay does not know events of type " + t);
  }
}

void replayer::apply(const event& e) {
  const auto& d = e.data;
  const auto& t = e.type;
  if (t == "unit.register") {
    db_.query(
           "INSERT INTO units (id, credit_code, name, kind, region, registered_at)"
           " VALUES (?, ?, ?, ?, ?, ?)")
        .with(subject_id(e), str(d, "credit_code"), str(d, "name"), str(d, "kind"),
              str(d, "region"), e.at)
        .run();
  } else if (t == "account.create") {
    db_.query("INSERT INTO accounts (id, unit_id, role, name, created_at) VALUES (?, ?, ?, ?, ?)")
        .with(subject_id(e), num(d, "unit"), str(d, "role"), str(d, "name"), e.at)
        .run();
  } else if (t == "account.token") {
    bytes digest;
    const bool known =
        d.contains("token_sha256") && from_hex(d.at("token_sha256").as_string(), digest);
    db_.query("UPDATE accounts SET token_sha256 = ?, revoked_at = NULL WHERE id = ?")
        .with(known ? std::optional<bytes>{digest} : std::nullopt, num(d, "account"))
        .run();
    mark("accounts", "token_sha256", num(d, "account"), known);
  } else if (t == "account.revoke") {
    db_.query("UPDATE accounts SET token_sha256 = NULL, revoked_at = ? WHERE id = ?")
        .with(e.at, num(d, "account"))
        .run();
    mark("accounts", "token_sha256", num(d, "account"), true);
  } else if (t == "account.password" || t == "account.sessions_revoke") {
    // Passwords and sessions are credentials, not state the replay rebuilds (schema v7).
  } else if (t == "lot.intake") {
    intake(e);
  } else if (t == "sample.add") {
    db_.query(
           "INSERT INTO samples (id, lot_id, type, collected_at, collector) VALUES (?, ?, ?, ?, ?)")
        .with(subject_id(e), num(d, "lot"), str(d, "type"), num(d, "collected_at"),
              str(d, "collector"))
        .run();
    db_.query("UPDATE lots SET samples = samples + 1 WHERE id = ?").with(num(d, "lot")).run();
  } else if (t == "sample.result") {
    const auto outcome = str(d, "outcome");
    db_.query(
           "INSERT INTO results (sample_id, outcome, lab, report_number, reported_at)"
           " VALUES (?, ?, ?, ?, ?)")
        .with(subject_id(e), outcome, str(d, "lab"), str(d, "report_number"), num(d, "reported_at"))
        .run();
    db_.query(outcome == "positive" ? "UPDATE lots SET positive = positive + 1 WHERE id = ?"
                                    : "UPDATE lots SET negative = negative + 1 WHERE id = ?")
        .with(num(d, "lot"))
        .run();
  } else if (t == "lot.quarantine") {
    db_.query("UPDATE lots SET status = 'quarantined' WHERE id = ?").with(subject_id(e)).run();
  } else if (t == "lot.disinfect") {
    const auto lot = subject_id(e);
    db_.query(
           "INSERT INTO disinfections (id, lot_id, agent, performed_at, operator_name,"
           " certificate) VALUES (?, ?, ?, ?, ?, ?)")
        .with(num(d, "disinfection"), lot, str(d, "agent"), num(d, "performed_at"),
              str(d, "operator"), str(d, "certificate"))
        .run();
    db_.query(
           "UPDATE lots SET last_disinfection_at = ?1, last_disinfection_agent = ?2"
           " WHERE id = ?3 AND (last_disinfection_at IS NULL OR last_disinfection_at <= ?1)")
        .with(num(d, "performed_at"), str(d, "agent"), lot)
        .run();
  } else if (t == "lot.release") {
    db_.query("UPDATE lots SET status = 'released', released_at = ? WHERE id = ?")
        .with(e.at, subject_id(e))
        .run();
  } else if (t == "code.dispatch") {
    dispatch(e);
  } else if (t == "code.receive") {
    db_.query("UPDATE codes SET status = 'active', received_at = ? WHERE id = ?")
        .with(e.at, subject_id(e))
        .run();
    db_.query("UPDATE transfers SET received_at = ? WHERE code_id = ?")
        .with(e.at, subject_id(e))
        .run();
  } else if (t == "code.sale" || t == "code.check") {
    sale_check(e);
  } else if (t == "lot.recall") {
    recall(e);
  } else if (t.starts_with("recall.")) {
    recall_follow_up(e);
  } else if (t == "inspection.record") {
    inspection(e);
  } else if (t.starts_with("finding.")) {
    finding(e);
  } else {
    throw std::runtime_error("the replay does not know events of type " + t);
  }
}

}  // namespace

// Defined in state_compare.cpp.
void copy_cell(connection& file, connection& replay, const std::string& table,
               const std::string& column, std::int64_t id);
std::string compare_state(connection& file, connection& replay, std::int64_t& rows);

state_report verify_state(connection& file) {
  state_report report;
  // An unnamed database: a private temporary file SQLite removes on close, so a big ledger's
  // state spills to disk instead of filling memory.
  auto replay = connection::open("", connection::access::read_write, 5000);
  replay.exec("PRAGMA journal_mode = OFF");
  replay.exec("PRAGMA synchronous = OFF");
  migrate(replay);
  transaction t{replay, transaction::mode::immediate};
  replayer r{replay};
  auto q = file.query(
      "SELECT seq, at, actor_account, actor_unit, type, subject, data FROM events ORDER BY seq");
  while (q.step()) {
    event e{q.int64(0), q.int64(1), q.int64(2), q.int64(3), q.text(4), q.text(5), {}};
    try {
      e.data = json::parse(q.text(6)).as_object();
      r.apply(e);
    } catch (const std::exception& ex) {
      report.problem =
          "event " + std::to_string(e.seq) + " (" + e.type + ") cannot be replayed: " + ex.what();
      return report;
    }
  }
  for (const auto& c : r.unproven) copy_cell(file, replay, c.table, c.column, c.id);
  report.unproven = static_cast<std::int64_t>(r.unproven.size());
  for (const auto id : r.photos) {
    copy_cell(file, replay, "inspection_photos", "data", id);
    auto row = replay.query("SELECT sha256, data FROM inspection_photos WHERE id = ?");
    row.with(id);
    if (!row.step()) continue;  // the comparison says the row is missing
    const auto digest = sha256(row.blob_view(1));
    const auto stored = row.blob_view(0);
    if (!std::equal(digest.begin(), digest.end(), stored.begin(), stored.end())) {
      report.problem = "inspection_photos row " + std::to_string(id) +
                       ": the photo's bytes are not the ones its event names (sha256)";
      return report;
    }
  }
  report.problem = compare_state(file, replay, report.rows);
  return report;
}

}  // namespace coldtrace::storage::sql
