#include "codec/sheet.hpp"

#include <xlsxwriter.h>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace coldtrace::codec {
namespace {

void csv_field(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// A column's width in Excel's units: a CJK character takes about two.
double width_of(const std::string& text) {
  double w = 0;
  for (unsigned char c : text) {
    if (c < 0x80)
      w += 1;
    else if (c >= 0xe0)
      w += 2;  // the lead byte of a 3-byte (CJK) character
  }
  return std::max(w + 2, 10.0);
}

// A temporary file removed when this goes out of scope.
struct temp_file {
  std::string path;
  temp_file() {
    char tmpl[] = "/tmp/coldtrace-sheet-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    if (fd >= 0) {
      ::close(fd);
      path = tmpl;
    }
  }
  ~temp_file() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

}  // namespace

std::string to_csv(const sheet& s) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const auto& fields, auto&& text_of) {
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += ',';
      first = false;
      csv_field(out, text_of(f));
    }
    out += "\r\n";
  };
  line(s.header, [](const std::string& h) { return h; });
  for (const auto& row : s.rows)
    line(row, [](const cell& c) {
      if (const auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
      if (const auto* d = std::get_if<double>(&c)) return number_text(*d);
      if (const auto* t = std::get_if<std::string>(&c)) return *t;
      return std::string{};
    });
  return out;
}

result<std::string> to_xlsx(const std::vector<sheet>& sheets) {
  temp_file tmp;
  if (tmp.path.empty()) return fail(errc::io_failure, "cannot create a temporary file");
  lxw_workbook* wb = workbook_new(tmp.path.c_str());
  if (!wb) return fail(errc::io_failure, "cannot start the workbook");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* kg = workbook_add_format(wb);
  format_set_num_format(kg, "0.000");
  for (const auto& s : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
    if (!ws) {
      workbook_close(wb);
      return fail(errc::io_failure, "bad sheet name \"" + s.name + "\"");
    }
    for (lxw_col_t c = 0; c < s.header.size(); ++c) {
      worksheet_write_string(ws, 0, c, s.header[c].c_str(), bold);
      worksheet_set_column(ws, c, c, width_of(s.header[c]), nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (lxw_row_t r = 0; r < s.rows.size(); ++r) {
      const auto& row = s.rows[r];
      for (lxw_col_t c = 0; c < row.size(); ++c) {
        const auto& v = row[c];
        if (const auto* i = std::get_if<std::int64_t>(&v))
          worksheet_write_number(ws, r + 1, c, static_cast<double>(*i), nullptr);
        else if (const auto* d = std::get_if<double>(&v))
          worksheet_write_number(ws, r + 1, c, *d, kg);
        else if (const auto* t = std::get_if<std::string>(&v))
          worksheet_write_string(ws, r + 1, c, t->c_str(), nullptr);
      }
    }
  }
  if (lxw_error e = workbook_close(wb); e != LXW_NO_ERROR)
    return fail(errc::io_failure, std::string("cannot write the workbook: ") + lxw_strerror(e));
  std::ifstream in(tmp.path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>{in}, {}};
  if (bytes.empty()) return fail(errc::io_failure, "the workbook came out empty");
  return bytes;
}

}  // namespace coldtrace::codec
