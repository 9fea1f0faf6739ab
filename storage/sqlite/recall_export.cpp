// A recall's holders as a table for people (storage/exports.hpp): the bureau's CSV.
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

namespace coldtrace::storage::sql::ops {
namespace {

using enum column_type;

constexpr export_column holder_columns[] = {
    {"recall", "召回编号", "Recall", integer},
    {"lot", "批次号", "Lot", integer},
    {"product", "品名", "Product", text},
    {"code", "召回码编号（空为整批）", "Recalled code (empty: whole lot)", integer},
    {"reason", "召回原因", "Reason", text},
    {"recalled_at", "召回时间", "Recalled", time},
    {"unit", "持有单位", "Holder", text},
    {"held_kg", "在库（千克）", "Held (kg)", kg},
    {"in_transit_kg", "在途（千克）", "In transit (kg)", kg},
    {"sold_kg", "召回前已售（千克）", "Sold before the recall (kg)", kg},
    {"status", "处置状态", "Status", term},
    {"notified_at", "通知时间", "Notified", time},
    {"seen_at", "查看时间", "Seen", time},
    {"acted_at", "处置时间", "Acted", time},
    {"sealed_kg", "封存（千克）", "Sealed (kg)", kg},
    {"returned_kg", "退回（千克）", "Returned (kg)", kg},
    {"destroyed_kg", "销毁（千克）", "Destroyed (kg)", kg},
    {"note", "备注", "Note", text},
};

codec::cell when(const std::optional<time_point>& t) {
  if (!t) return {};
  return seconds(*t);
}

}  // namespace

result<export_table> recall_export(connection& c, const actor& by, std::int64_t recall,
                                   time_point now) {
  if (auto e = require_role(by, {account_role::admin, account_role::inspector}, "export recalls"))
    return *e;
  auto v = get_recall(c, by, recall, now);
  if (!v) return v.error();
  export_table t{export_kind::recall_holders, holder_columns, {}};
  for (const auto& h : v->holders) {
    const std::string status = h.acted_at  ? "acted"
                               : h.overdue ? "overdue"
                               : h.seen_at ? "seen"
                                           : "notified";
    t.rows.push_back({v->id, v->lot, v->product, v->code ? codec::cell{*v->code} : codec::cell{},
                      v->reason, seconds(v->at), h.unit_name, h.held_g, h.in_transit_g, h.sold_g,
                      status, seconds(h.notified_at), when(h.seen_at), when(h.acted_at), h.sealed_g,
                      h.returned_g, h.destroyed_g, h.note});
  }
  return t;
}

}  // namespace coldtrace::storage::sql::ops
