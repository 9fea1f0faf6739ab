// Tables for people: a workbook of sheets written as XLSX (libxlsxwriter) or one sheet as CSV
// (RFC 4180, UTF-8 with a byte-order mark so that Excel reads Chinese text right). Pure: the
// caller chooses the headers' language and the rows.
#pragma once

#include "codec/error.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace coldtrace::codec {

// Empty, a whole number, a decimal (kg), or text.
using cell = std::variant<std::monostate, std::int64_t, double, std::string>;

struct sheet {
  std::string name;  // at most 31 characters; no []:*?/\ (Excel's rules)
  std::vector<std::string> header;
  std::vector<std::vector<cell>> rows;
};

std::string to_csv(const sheet& s);

// The .xlsx file's bytes: one worksheet per sheet, the header bold and frozen, columns wide
// enough for their header. io_failure when the temporary file cannot be written.
result<std::string> to_xlsx(const std::vector<sheet>& sheets);

}  // namespace coldtrace::codec
