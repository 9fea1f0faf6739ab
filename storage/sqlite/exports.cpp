// The exports' columns and queries (storage/exports.hpp). Each query takes ?1 the unit (NULL
// for all), ?2 the lot (NULL for a period) and ?3, ?4 the period [from, to); its columns are
// its table's, in order. A NULL test casts its parameter: PostgreSQL cannot infer its type.
#include "storage/exports.hpp"
#include "storage/sqlite/exports.hpp"

namespace coldtrace::storage::sql {
namespace {

using enum column_type;

constexpr export_column lot_columns[] = {
    {"lot", "批次号", "Lot", integer},
    {"product", "品名", "Product", text},
    {"category", "品类", "Category", term},
    {"origin", "原产国", "Origin", text},
    {"net_weight_kg", "净重（千克）", "Net weight (kg)", kg},
    {"packages", "件数", "Packages", integer},
    {"consignor", "货主", "Consignor", text},
    {"customs_number", "报关单号", "Customs declaration", text},
    {"quarantine_certificate", "检疫证明编号", "Quarantine certificate", text},
    {"vehicle", "车牌/集装箱号", "Vehicle / container", text},
    {"warehouse", "监管仓", "Warehouse", text},
    {"intake_at", "入仓时间", "Intake", time},
    {"status", "状态", "Status", term},
    {"released_at", "放行时间", "Released", time},
    {"recalled_at", "召回时间", "Recalled", time},
    {"root_code", "根码编号", "Root code", integer},
    {"manufacturer", "生产企业", "Manufacturer", text},
    {"plant_registration", "境外生产企业注册编号", "Overseas plant registration", text},
    {"production_date", "生产日期", "Production date", text},
    {"batch_number", "生产批号", "Batch", text},
    {"storage_temp_c", "贮存温度上限（℃）", "Store at or below (°C)", integer},
    {"animal_quarantine_certificate", "动物检疫合格证明编号", "Animal quarantine certificate",
     text},
};
constexpr export_column test_columns[] = {
    {"sample", "样本编号", "Sample", integer},
    {"lot", "批次号", "Lot", integer},
    {"product", "品名", "Product", text},
    {"type", "采样类型", "Sample type", term},
    {"collected_at", "采样时间", "Collected", time},
    {"collector", "采样人", "Collector", text},
    {"outcome", "检测结果", "Result", term},
    {"lab", "检测机构", "Laboratory", text},
    {"report_number", "报告编号", "Report number", text},
    {"reported_at", "报告时间", "Reported", time},
};
constexpr export_column disinfection_columns[] = {
    {"disinfection", "消毒编号", "Disinfection", integer},
    {"lot", "批次号", "Lot", integer},
    {"product", "品名", "Product", text},
    {"agent", "消毒剂", "Agent", text},
    {"performed_at", "消毒时间", "Performed", time},
    {"operator", "操作人", "Operator", text},
    {"certificate", "消毒证明编号", "Certificate", text},
};
constexpr export_column code_columns[] = {
    {"code", "追溯码编号", "Code", integer},
    {"lot", "批次号", "Lot", integer},
    {"product", "品名", "Product", text},
    {"parent", "上级码编号", "Parent code", integer},
    {"holder", "持有单位", "Holder", text},
    {"quantity_kg", "数量（千克）", "Quantity (kg)", kg},
    {"remaining_kg", "剩余（千克）", "Remaining (kg)", kg},
    {"status", "状态", "Status", term},
    {"issued_at", "赋码时间", "Issued", time},
    {"received_at", "接收时间", "Received", time},
};
constexpr export_column transfer_columns[] = {
    {"transfer", "调拨编号", "Transfer", integer},
    {"code", "子码编号", "Code", integer},
    {"from_code", "来源码编号", "From code", integer},
    {"lot", "批次号", "Lot", integer},
    {"product", "品名", "Product", text},
    {"from_unit", "发货单位", "From", text},
    {"to_unit", "收货单位", "To", text},
    {"quantity_kg", "数量（千克）", "Quantity (kg)", kg},
    {"dispatched_at", "发货时间", "Dispatched", time},
    {"received_at", "收货时间", "Received", time},
};
constexpr export_column sale_columns[] = {
    {"sale", "销售编号", "Sale", integer}, {"code", "追溯码编号", "Code", integer},
    {"lot", "批次号", "Lot", integer},     {"product", "品名", "Product", text},
    {"unit", "销售单位", "Sold at", text}, {"quantity_kg", "数量（千克）", "Quantity (kg)", kg},
    {"sold_at", "销售时间", "Sold", time},
};

#define TRANSFER_SELECT                                                                          \
  "SELECT t.id, t.code_id, t.from_code_id, c.lot_id, l.product, fu.name, tu.name, t.quantity_g," \
  " t.dispatched_at, t.received_at FROM transfers t JOIN codes c ON c.id = t.code_id"            \
  " JOIN lots l ON l.id = c.lot_id JOIN units fu ON fu.id = t.from_unit"                         \
  " JOIN units tu ON tu.id = t.to_unit WHERE (CAST(?2 AS BIGINT) IS NULL OR c.lot_id = ?2) AND "

struct export_spec {
  std::span<const export_column> columns;
  const char* sql;
};

const export_spec specs[] = {
    {lot_columns,
     "SELECT l.id, l.product, l.category, l.origin, l.net_weight_g, l.packages, l.consignor,"
     " l.customs_number, l.quarantine_certificate, l.vehicle, u.name, l.intake_at, l.status,"
     " l.released_at, r.recalled_at, l.root_code_id, l.manufacturer, l.plant_registration,"
     " l.production_date, l.batch_number, l.storage_temp_c, l.animal_quarantine_certificate"
     " FROM lots l JOIN units u ON"
     " u.id = l.warehouse_id LEFT JOIN recalls r ON r.lot_id = l.id"
     " AND length(r.split_path) = 0 WHERE" COLDTRACE_LOT_VISIBLE
     " AND l.intake_at >= ?3 AND l.intake_at < ?4 ORDER BY l.id"},
    {test_columns,
     "SELECT s.id, s.lot_id, l.product, s.type, s.collected_at, s.collector, r.outcome, r.lab,"
     " r.report_number, r.reported_at FROM samples s JOIN lots l ON l.id = s.lot_id"
     " LEFT JOIN results r ON r.sample_id = s.id WHERE" COLDTRACE_LOT_VISIBLE
     " AND s.collected_at >= ?3 AND s.collected_at < ?4 ORDER BY s.id"},
    {disinfection_columns,
     "SELECT d.id, d.lot_id, l.product, d.agent, d.performed_at, d.operator_name, d.certificate"
     " FROM disinfections d JOIN lots l ON l.id = d.lot_id WHERE" COLDTRACE_LOT_VISIBLE
     " AND d.performed_at >= ?3 AND d.performed_at < ?4 ORDER BY d.id"},
    {code_columns,
     "SELECT c.id, c.lot_id, l.product, c.parent_id, u.name, c.quantity_g, c.remaining_g,"
     " c.status, c.issued_at, c.received_at FROM codes c JOIN lots l ON l.id = c.lot_id"
     " JOIN units u ON u.id = c.holder_id WHERE (CAST(?1 AS BIGINT) IS NULL OR c.holder_id = ?1)"
     " AND (CAST(?2 AS BIGINT) IS NULL OR c.lot_id = ?2) AND c.issued_at >= ?3 AND c.issued_at < ?4"
     " ORDER BY c.id"},
    {transfer_columns, TRANSFER_SELECT "(CAST(?1 AS BIGINT) IS NULL OR t.from_unit = ?1)"
                                       " AND t.dispatched_at >= ?3 AND t.dispatched_at < ?4"
                                       " ORDER BY t.id"},
    {transfer_columns,
     TRANSFER_SELECT "t.received_at IS NOT NULL AND (CAST(?1 AS BIGINT) IS NULL OR"
                     " t.to_unit = ?1) AND t.received_at >= ?3 AND"
                     " t.received_at < ?4 ORDER BY t.id"},
    {sale_columns,
     "SELECT s.id, s.code_id, c.lot_id, l.product, u.name, s.quantity_g, s.sold_at FROM sales s"
     " JOIN codes c ON c.id = s.code_id JOIN lots l ON l.id = c.lot_id"
     " JOIN units u ON u.id = s.unit_id WHERE (CAST(?1 AS BIGINT) IS NULL OR s.unit_id = ?1)"
     " AND (CAST(?2 AS BIGINT) IS NULL OR c.lot_id = ?2) AND s.sold_at >= ?3 AND s.sold_at < ?4 "
     "ORDER BY s.id"},
};

#undef TRANSFER_SELECT

}  // namespace

std::vector<export_table> export_tables(connection& c, const export_query& q) {
  transaction snapshot{c};
  std::int64_t from = q.from.time_since_epoch().count(), to = q.to.time_since_epoch().count();
  if (q.lot) {
    from = std::numeric_limits<std::int64_t>::min();
    to = std::numeric_limits<std::int64_t>::max();
  }
  std::vector<export_table> out;
  for (const auto kind : q.kinds) {
    const auto& spec = specs[static_cast<std::size_t>(kind)];
    export_table t{kind, spec.columns, {}};
    auto s = c.query(spec.sql);
    s.with(q.unit, q.lot, from, to);
    while (s.step()) {
      std::vector<codec::cell> row;
      row.reserve(spec.columns.size());
      for (std::size_t i = 0; i < spec.columns.size(); ++i) {
        const int col = static_cast<int>(i);
        if (s.is_null(col))
          row.emplace_back();
        else if (spec.columns[i].type == text || spec.columns[i].type == term)
          row.emplace_back(s.text(col));
        else
          row.emplace_back(s.int64(col));
      }
      t.rows.push_back(std::move(row));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace coldtrace::storage::sql
