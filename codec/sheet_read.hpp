// Reading the tables people fill in: CSV (RFC 4180, UTF-8 with or without a byte-order mark)
// and the first worksheet of an XLSX workbook (ECMA-376: a ZIP archive of XML parts, read with
// zlib and expat). Pure and bounded: a file is refused, never trusted, when it is larger than
// the limits below, claims more than it holds, or is not what it says.
#pragma once

#include "codec/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coldtrace::codec {

// The cells' text as the spreadsheet shows it, row 1 first: rows[i] is the file's row i + 1
// (empty rows stay, as empty vectors, so row numbers in messages are the spreadsheet's).
// Numbers are the text XLSX stores ("12.5", "3"); booleans "TRUE"/"FALSE".
struct grid {
  std::vector<std::vector<std::string>> rows;
};

struct read_limits {
  std::size_t max_rows = 20'000;
  std::size_t max_columns = 64;
  std::size_t max_unpacked = 64u << 20;  // bytes of XML inflated from an XLSX, in all
};

// bad_value with a message for a person ("save the file as CSV UTF-8") when the bytes are not
// a CSV table in UTF-8, or hold more rows or columns than `limits`.
result<grid> read_csv(std::string_view bytes, const read_limits& limits = {});

// The first worksheet of the workbook. bad_value when the bytes are not an XLSX workbook
// (an old .xls, a damaged or encrypted file), or exceed `limits`.
result<grid> read_xlsx(std::string_view bytes, const read_limits& limits = {});

// A file's error (bad_value) with its message's catalogue key (server/messages.cpp).
error file_error(std::string message, std::string detail, message_args args = {});

// True when the bytes start as a ZIP archive does (an XLSX file; CSV text never does).
bool looks_like_zip(std::string_view bytes);

}  // namespace coldtrace::codec
