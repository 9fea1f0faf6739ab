// CSV as RFC 4180 writes it, and as spreadsheets save it: fields separated by commas, quoted
// with '"' when they hold a comma, quote or line break ('""' is one quote), records ended by
// CRLF or LF. The text must be UTF-8: Excel's default "CSV" in a Chinese locale is GBK, which
// this refuses with a message saying how to save the file instead.
#include "codec/sheet_read.hpp"

namespace coldtrace::codec {
namespace {

// RFC 3629 §4: well-formed UTF-8, no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned min = 0, cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, min = 0x80, cp = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, min = 0x800, cp = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, min = 0x10000, cp = c & 0x07u;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

error too_big(const std::string& what, std::size_t max) {
  return file_error("the file has more than " + std::to_string(max) + " " + what +
                        "; split it into smaller files",
                    "file.too_many_" + what, {{"max", std::to_string(max)}});
}

}  // namespace

error file_error(std::string message, std::string detail, message_args args) {
  return {make_error_code(errc::bad_value), std::move(message), std::move(detail), std::move(args)};
}

bool looks_like_zip(std::string_view bytes) {
  return bytes.starts_with(std::string_view{"PK\x03\x04", 4});
}

result<grid> read_csv(std::string_view bytes, const read_limits& limits) {
  if (bytes.starts_with("\xef\xbb\xbf")) bytes.remove_prefix(3);
  if (looks_like_zip(bytes))
    return file_error("this is an XLSX workbook, not CSV text: send it as XLSX", "file.is_xlsx");
  if (!valid_utf8(bytes))
    return file_error(
        "the file is not UTF-8 text (Excel's \"CSV\" in a Chinese locale is GBK): save it as"
        " \"CSV UTF-8\", or send the XLSX workbook",
        "file.not_utf8");
  grid g;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool row_started = false;  // the current record has at least one character
  auto end_field = [&]() -> result<void> {
    if (row.size() >= limits.max_columns) return too_big("columns", limits.max_columns);
    row.push_back(std::move(field));
    field.clear();
    return {};
  };
  auto end_row = [&]() -> result<void> {
    if (auto ok = end_field(); !ok) return ok;
    // A record of one empty field is an empty line: kept, so row numbers stay the file's.
    if (row.size() == 1 && row[0].empty()) row.clear();
    if (g.rows.size() >= limits.max_rows) return too_big("rows", limits.max_rows);
    g.rows.push_back(std::move(row));
    row.clear();
    row_started = false;
    return {};
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < bytes.size() && bytes[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    row_started = true;
    if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      if (auto ok = end_field(); !ok) return ok.error();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
      if (auto ok = end_row(); !ok) return ok.error();
    } else {
      field += c;
    }
  }
  if (quoted)
    return file_error("the file ends inside a quoted field: a '\"' is not closed",
                      "file.open_quote");
  if (row_started || !row.empty()) {
    if (auto ok = end_row(); !ok) return ok.error();
  }
  return g;
}

}  // namespace coldtrace::codec
