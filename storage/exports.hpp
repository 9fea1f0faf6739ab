// Exports for people (XLSX, CSV): a unit's or every unit's records of a period, or everything
// about one lot, as tables of typed columns with Chinese and English headers. What a caller
// may export follows the ledger's visibility: regulators any unit or all, a unit its own.
#pragma once

#include "codec/sheet.hpp"
#include "storage/error.hpp"
#include "storage/types.hpp"

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace coldtrace::storage {

// recall_holders is one recall's holders (ledger::export_recall), not a kind of period export.
enum class export_kind {
  lots,
  tests,
  disinfections,
  codes,
  dispatches,
  receipts,
  sales,
  recall_holders
};
inline constexpr std::array all_export_kinds{
    export_kind::lots,       export_kind::tests,    export_kind::disinfections, export_kind::codes,
    export_kind::dispatches, export_kind::receipts, export_kind::sales};
std::string_view to_string(export_kind k);
std::optional<export_kind> export_kind_from(std::string_view s);

struct export_query {
  std::vector<export_kind> kinds;
  std::optional<unit_id> unit;  // all units when empty (regulators only)
  std::optional<lot_id> lot;    // everything about one lot: the period is not applied
  time_point from{}, to{};      // [from, to): intake, collection, issue, dispatch, receipt, sale
};

// How a column's stored value is shown: kg from grams, times in Beijing time (UTC+8), and
// terms (statuses, sample types, outcomes, categories) translated for Chinese readers.
enum class column_type { integer, text, kg, time, term };
struct export_column {
  std::string_view key, zh, en;
  column_type type;
};

struct export_table {
  export_kind kind;
  std::span<const export_column> columns;
  // As stored: integers (ids, grams, seconds), text; empty for NULL.
  std::vector<std::vector<codec::cell>> rows;
};

enum class language { zh, en };
// The table as a sheet for people: headers, units and terms in `lang`.
codec::sheet to_sheet(const export_table& t, language lang);

enum class export_format { xlsx, csv };
// The file's bytes: XLSX with a sheet per table, or CSV of exactly one table.
result<std::string> render(const std::vector<export_table>& tables, language lang,
                           export_format format);

}  // namespace coldtrace::storage
