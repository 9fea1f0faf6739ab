// A unit's own ERP or POS sends many receipts, dispatches and sales at once: POST
// /api/v1/batch. Each line is what its single endpoint does, under the client's reference
// (its idempotency key), with a result of its own; the ledger runs the batch as one job of its
// writer (storage/sqlite/ops_batch.cpp).
#include "server/api/auth.hpp"
#include "server/api/batch_lines.hpp"
#include "server/api/decode.hpp"
#include "server/api/routes.hpp"
#include "server/error.hpp"
#include "server/json.hpp"

#include <boost/json/array.hpp>

namespace coldtrace::server::api {
namespace {

using storage::actor;

// What the handler knows of each line before the ledger answers: its op and reference, and
// the error when it could not be read (such a line never reaches the ledger).
struct line_plan {
  storage::batch_op op = storage::batch_op::receipt;
  std::string ref;
  std::optional<error> unreadable;
};

struct batch_plan {
  std::vector<line_plan> lines;
  bool atomic = false, dry_run = false;
  pages::lang lang = pages::lang::zh;
};

json::object answer(const batch_plan& plan, const storage::batch_result& out,
                    std::string_view host) {
  json::array lines;
  lines.reserve(plan.lines.size());
  std::array<std::int64_t, 4> counts{};
  std::int64_t replayed = 0;
  std::size_t next = 0;  // the ledger's results are those of the readable lines, in order
  const bool unreadable = std::any_of(plan.lines.begin(), plan.lines.end(),
                                      [](const line_plan& l) { return l.unreadable.has_value(); });
  for (std::size_t i = 0; i < plan.lines.size(); ++i) {
    const auto& p = plan.lines[i];
    storage::batch_line_result r;
    if (p.unreadable) {
      r.ref = p.ref;
      r.failure = *p.unreadable;
      r.status = storage::line_status::failed;
    } else if (next < out.lines.size()) {
      r = out.lines[next++];
      // An atomic batch with an unreadable line was only checked: nothing of it is written.
      if (plan.atomic && unreadable && !plan.dry_run && r.status == storage::line_status::done &&
          !r.replayed) {
        r.status = storage::line_status::rolled_back;
        r.code.reset();
        r.sale.reset();
      }
    }
    ++counts[static_cast<std::size_t>(r.status)];
    replayed += r.replayed ? 1 : 0;
    lines.push_back(line_json(r, p.op, i + 1, plan.lang, host));
  }
  return {{"atomic", plan.atomic},
          {"dry_run", plan.dry_run},
          {"written", out.written},
          {"summary",
           {{"lines", plan.lines.size()},
            {"done", counts[0]},
            {"denied", counts[1]},
            {"failed", counts[2]},
            {"rolled_back", counts[3]},
            {"replayed", replayed}}},
          {"lines", std::move(lines)}};
}

// POST /api/v1/batch {"lines": [...], "atomic": false, "dry_run": false}
void batch(const env& e, const request& req, context&, const actor& by, respond done) {
  static constexpr json_field fields[] = {{"lines", json_type::array},
                                          {"atomic", json_type::boolean, false},
                                          {"dry_run", json_type::boolean, false}};
  auto o = parse_object(req.body, fields);
  if (!o) return refuse(done, o.error());
  const auto& items = o->at("lines").as_array();
  if (items.empty())
    return refuse(done, codec::fail(codec::errc::bad_value,
                                    "\"lines\" is empty: a batch needs"
                                    " at least one line"));
  if (items.size() > max_lines)
    return refuse(
        done, fail(errc::body_too_large,
                   "a batch holds at most " + std::to_string(max_lines) + " lines; this one has " +
                       std::to_string(items.size()) + ": send it in parts",
                   "batch.too_many",
                   {{"max", std::to_string(max_lines)}, {"lines", std::to_string(items.size())}}));
  auto plan = std::make_shared<batch_plan>();
  plan->atomic = o->if_contains("atomic") && o->at("atomic").is_bool() && o->at("atomic").as_bool();
  plan->dry_run =
      o->if_contains("dry_run") && o->at("dry_run").is_bool() && o->at("dry_run").as_bool();
  plan->lang = pages::choose_lang(req);
  const auto keys = e.keys();
  const line_codes codes{keys->published, e.own_hosts, by.unit};
  storage::batch_request r;
  r.atomic = plan->atomic;
  r.dry_run = plan->dry_run;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto& p = plan->lines.emplace_back();
    if (const auto* obj = items[i].if_object())
      if (const auto* ref = obj->if_contains("ref"); ref && ref->is_string())
        p.ref = std::string(ref->as_string()).substr(0, max_ref);
    auto line = decode_batch_line(items[i], i, codes);
    if (!line) {
      p.unreadable = line.error();
      continue;
    }
    p.op = line->op;
    r.lines.push_back(std::move(*line));
  }
  // All or nothing, and a line cannot be read: the others are checked, and nothing written.
  if (r.atomic && r.lines.size() < items.size()) r.dry_run = true;
  e.ledger().async_batch(e.as(by), std::move(r),
                         answer_with<storage::batch_result>(
                             std::move(done), [plan, &e](const storage::batch_result& out) {
                               return json_response(200, answer(*plan, out, e.a.public_host));
                             }));
}

}  // namespace

void add_batch_routes(router& r, const env_ptr& e) {
  r.add_async(verb::post, "/api/v1/batch", authed_async(e, batch));
}

}  // namespace coldtrace::server::api
