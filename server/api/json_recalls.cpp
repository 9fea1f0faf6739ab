#include "server/api/json_recalls.hpp"

namespace coldtrace::server::api {
namespace {

json::value optional_time(const std::optional<storage::time_point>& t) {
  if (!t) return nullptr;
  return json::value(iso_time(*t));
}

json::object party(storage::unit_id id, const std::string& name) {
  return {{"id", id}, {"name", name}};
}

// notified → seen → acted; overdue when not acted on in time.
std::string_view status_of(const storage::recall_holder& h) {
  if (h.acted_at) return "acted";
  if (h.overdue) return "overdue";
  return h.seen_at ? "seen" : "notified";
}

json::object to_json(const storage::recall_holder& h) {
  json::array codes;
  for (auto c : h.codes) codes.push_back(c);
  return {{"unit", party(h.unit, h.unit_name)},
          {"held_g", h.held_g},
          {"in_transit_g", h.in_transit_g},
          {"sold_g", h.sold_g},
          {"codes", std::move(codes)},
          {"status", status_of(h)},
          {"overdue", h.overdue},
          {"notified_at", iso_time(h.notified_at)},
          {"due_at", iso_time(h.notified_at + storage::recall_response_time)},
          {"seen_at", optional_time(h.seen_at)},
          {"acted_at", optional_time(h.acted_at)},
          {"sealed_g", h.sealed_g},
          {"returned_g", h.returned_g},
          {"destroyed_g", h.destroyed_g},
          {"note", h.note}};
}

}  // namespace

json::object to_json(const storage::recall_view& v) {
  json::array holders, sales;
  for (const auto& h : v.holders) holders.push_back(to_json(h));
  for (const auto& s : v.sales)
    sales.push_back({{"id", s.id},
                     {"unit", party(s.unit, s.unit_name)},
                     {"code", s.code},
                     {"quantity_g", s.quantity_g},
                     {"sold_at", iso_time(s.sold_at)}});
  return {{"id", v.id},
          {"lot", v.lot},
          {"product", v.product},
          {"code", v.code ? json::value(*v.code) : json::value(nullptr)},
          {"scope", v.code ? "consignment" : "lot"},
          {"reason", v.reason},
          {"recalled_at", iso_time(v.at)},
          {"holders", std::move(holders)},
          {"sales", std::move(sales)}};
}

json::object to_json(const storage::recall_proposal& p) {
  json::array holders;
  for (const auto& h : p.holders)
    holders.push_back({{"unit", party(h.unit, h.unit_name)},
                       {"held_g", h.held_g},
                       {"in_transit_g", h.in_transit_g},
                       {"codes", h.codes}});
  return {{"id", p.id},
          {"lot", p.lot},
          {"product", p.product},
          {"sample", p.sample},
          {"proposed_at", iso_time(p.proposed_at)},
          {"status", to_string(p.status)},
          {"recall", p.recall ? json::value(*p.recall) : json::value(nullptr)},
          {"note", p.note},
          {"decided_at", optional_time(p.decided_at)},
          {"holders", std::move(holders)}};
}

}  // namespace coldtrace::server::api
