// Importing receipts, dispatches and sales from a spreadsheet (CSV or XLSX): the templates'
// columns, the rows read into batch lines (batch_lines.hpp) with a problem for each cell a
// person must fix, and the report of what the ledger said of each row. Shared by
// POST /api/v1/import and `coldtrace import`.
#pragma once

#include "codec/sheet.hpp"
#include "codec/sheet_read.hpp"
#include "server/api/batch_lines.hpp"
#include "storage/ledger.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace coldtrace::server::api {

enum class import_kind { receipts, dispatches, sales };
std::string_view to_string(import_kind k);
std::optional<import_kind> import_kind_from(std::string_view s);

// The template: its header row in `l`, and for XLSX a second sheet saying how to fill it in.
codec::sheet import_template(import_kind k, pages::lang l);
std::vector<codec::sheet> import_template_book(import_kind k, pages::lang l);

// What a person must fix: the spreadsheet's row (1-based, the header is row 1), the column's
// header as the file writes it (empty for the whole row), and why.
struct import_problem {
  std::size_t row = 0;
  std::string column;
  error why;
};

struct import_plan {
  import_kind kind = import_kind::receipts;
  std::vector<storage::batch_line> lines;  // the rows without problems, in order
  std::vector<std::size_t> rows;           // the file's row of each line
  std::vector<import_problem> problems;
  std::size_t data_rows = 0;              // rows below the header that are not empty
  std::vector<std::string> column_names;  // the file's header of each column the report names
};

// A consignee written as a unit id or an 18-character credit code → the unit's id.
using unit_lookup = std::function<std::optional<storage::unit_id>(std::string_view text)>;
// The ledger's units: an id that exists, or a credit code registered (any case).
unit_lookup units_in(storage::ledger& l);

// The file's bytes (XLSX when they are a ZIP archive, CSV otherwise) as batch lines. Which
// kind it is follows from its header row (Chinese or English, any column order). An error
// for the whole file: unreadable, or no template's header.
result<import_plan> plan_import(std::string_view file, const line_codes& codes,
                                const unit_lookup& units);

// Adds the ledger's answer for each line to the problems: a failed line or a denied sale
// becomes a problem at its row, in the column the error is about.
void add_outcomes(import_plan& plan, const storage::batch_result& out);

// The report a person fixes the spreadsheet from: 行号, 列, 问题 (Row, Column, Problem),
// sorted by row, messages in `l`.
codec::sheet problem_sheet(const import_plan& plan, pages::lang l);

}  // namespace coldtrace::server::api
