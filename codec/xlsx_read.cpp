// The first worksheet of an XLSX workbook (ECMA-376 Part 1, SpreadsheetML). The file is a ZIP
// archive (PKWARE APPNOTE 6.3: end of central directory §4.3.16, central directory §4.3.12,
// local header §4.3.7); its parts are stored or deflated (RFC 1951, zlib) and checked against
// their CRC-32. The XML is read with expat, which refuses entity expansion attacks; a DOCTYPE,
// which no workbook has, is refused outright. Every size the archive claims is checked
// against the bytes there are and against read_limits::max_unpacked before anything is
// allocated.
#include "codec/sheet_read.hpp"

#include <expat.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace coldtrace::codec {
namespace {

error damaged(const std::string& why) {
  return file_error("the file is not an XLSX workbook that can be read (" + why +
                        "); open it in a spreadsheet and save it again as .xlsx",
                    "file.damaged");
}

std::uint32_t le(std::string_view b, std::size_t at, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

struct entry {
  std::uint16_t method = 0;
  std::uint32_t crc = 0, packed = 0, size = 0, local = 0;
};

// The central directory: every part's name and where its bytes are.
result<std::map<std::string, entry, std::less<>>> directory(std::string_view z) {
  constexpr std::size_t eocd_size = 22;
  if (z.size() < eocd_size) return damaged("too short");
  // The end record is the last thing in the file, before a comment of at most 65535 bytes.
  std::optional<std::size_t> eocd;
  const std::size_t lowest = z.size() > eocd_size + 65535 ? z.size() - eocd_size - 65535 : 0;
  for (std::size_t at = z.size() - eocd_size + 1; at-- > lowest;)
    if (le(z, at, 4) == 0x06054b50) {
      eocd = at;
      break;
    }
  if (!eocd) return damaged("no ZIP directory");
  const std::size_t count = le(z, *eocd + 10, 2);
  std::size_t at = le(z, *eocd + 16, 4);
  std::map<std::string, entry, std::less<>> parts;
  for (std::size_t i = 0; i < count; ++i) {
    if (at + 46 > *eocd || le(z, at, 4) != 0x02014b50) return damaged("a damaged ZIP directory");
    entry e;
    const auto flags = le(z, at + 8, 2);
    e.method = static_cast<std::uint16_t>(le(z, at + 10, 2));
    e.crc = le(z, at + 16, 4);
    e.packed = le(z, at + 20, 4);
    e.size = le(z, at + 24, 4);
    const std::size_t name = le(z, at + 28, 2), extra = le(z, at + 30, 2),
                      comment = le(z, at + 32, 2);
    e.local = le(z, at + 42, 4);
    if (at + 46 + name > *eocd) return damaged("a damaged ZIP directory");
    if (flags & 1u)
      return file_error("the file is protected by a password: save it without one",
                        "file.encrypted");
    parts.emplace(std::string(z.substr(at + 46, name)), e);
    at += 46 + name + extra + comment;
  }
  return parts;
}

// The part's bytes, inflated and checked; `budget` is what may still be unpacked.
result<std::string> unpack(std::string_view z, const entry& e, std::size_t& budget) {
  if (e.size > budget) return damaged("it unpacks to more than the limit");
  budget -= e.size;
  if (std::size_t{e.local} + 30 > z.size() || le(z, e.local, 4) != 0x04034b50)
    return damaged("a damaged ZIP entry");
  const std::size_t start = e.local + 30 + le(z, e.local + 26, 2) + le(z, e.local + 28, 2);
  if (start > z.size() || e.packed > z.size() - start) return damaged("a part is cut short");
  const auto packed = z.substr(start, e.packed);
  std::string out;
  if (e.method == 0) {
    if (e.packed != e.size) return damaged("a stored part of the wrong size");
    out = packed;
  } else if (e.method == 8) {
    out.resize(e.size);
    z_stream s{};
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return damaged("zlib could not start");
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    s.avail_in = static_cast<uInt>(packed.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&s, Z_FINISH);
    const auto produced = s.total_out;
    inflateEnd(&s);
    if (rc != Z_STREAM_END || produced != e.size) return damaged("a part does not inflate");
  } else {
    return damaged("a part compressed with method " + std::to_string(e.method));
  }
  const auto crc =
      crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
  if (crc != e.crc) return damaged("a part fails its CRC check");
  return out;
}

// A SAX walk over one XML part: element names without their namespace prefix.
struct xml_walk {
  std::function<void(std::string_view name, const char** attrs)> start;
  std::function<void(std::string_view name)> end;
  std::function<void(std::string_view text)> text;
  bool doctype = false;
};

std::string_view local(const char* name) {
  std::string_view n{name};
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

result<void> walk(const std::string& xml, xml_walk& w, std::string_view part) {
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> p{XML_ParserCreate("UTF-8"),
                                                                 &XML_ParserFree};
  if (!p) return damaged("no memory for the XML parser");
  XML_SetUserData(p.get(), &w);
  XML_SetElementHandler(
      p.get(),
      [](void* u, const XML_Char* n, const XML_Char** a) {
        auto& x = *static_cast<xml_walk*>(u);
        if (x.start) x.start(local(n), a);
      },
      [](void* u, const XML_Char* n) {
        auto& x = *static_cast<xml_walk*>(u);
        if (x.end) x.end(local(n));
      });
  XML_SetCharacterDataHandler(p.get(), [](void* u, const XML_Char* s, int len) {
    auto& x = *static_cast<xml_walk*>(u);
    if (x.text) x.text({s, static_cast<std::size_t>(len)});
  });
  XML_SetStartDoctypeDeclHandler(
      p.get(), [](void* u, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        static_cast<xml_walk*>(u)->doctype = true;
      });
  const auto ok = XML_Parse(p.get(), xml.data(), static_cast<int>(xml.size()), 1);
  if (w.doctype) return damaged(std::string(part) + " declares a DOCTYPE");
  if (ok != XML_STATUS_OK)
    return damaged(std::string(part) + ": " + XML_ErrorString(XML_GetErrorCode(p.get())));
  return {};
}

const char* attr(const char** attrs, std::string_view name) {
  for (auto a = attrs; *a; a += 2)
    if (local(a[0]) == name) return a[1];
  return nullptr;
}

// "BC12" → column 54 (0-based), or nullopt when the reference has no letters.
std::optional<std::size_t> column_of(std::string_view ref) {
  std::size_t col = 0, letters = 0;
  for (char c : ref) {
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<std::size_t>(c - 'A' + 1);
    if (++letters > 3) return std::nullopt;
  }
  if (letters == 0) return std::nullopt;
  return col - 1;
}

}  // namespace

result<grid> read_xlsx(std::string_view z, const read_limits& limits) {
  if (!looks_like_zip(z))
    return file_error("the file is not an XLSX workbook (an old .xls file? save it as .xlsx)",
                      "file.not_xlsx");
  auto parts = directory(z);
  if (!parts) return parts.error();
  std::size_t budget = limits.max_unpacked;
  auto part = [&](std::string_view name) -> result<std::optional<std::string>> {
    auto it = parts->find(name);
    if (it == parts->end()) return std::optional<std::string>{};
    auto bytes = unpack(z, it->second, budget);
    if (!bytes) return bytes.error();
    return std::optional{std::move(*bytes)};
  };
  // The first sheet in the workbook's order, and the part its relationship points at.
  auto book = part("xl/workbook.xml");
  if (!book) return book.error();
  auto rels = part("xl/_rels/workbook.xml.rels");
  if (!rels) return rels.error();
  if (!*book || !*rels) return damaged("no workbook part");
  std::string rid;
  xml_walk wb;
  wb.start = [&](std::string_view n, const char** a) {
    if (n == "sheet" && rid.empty())
      if (const char* id = attr(a, "id")) rid = id;
  };
  if (auto ok = walk(**book, wb, "workbook.xml"); !ok) return ok.error();
  std::string target;
  xml_walk wr;
  wr.start = [&](std::string_view n, const char** a) {
    const char* id = attr(a, "Id");
    if (n == "Relationship" && id && id == rid)
      if (const char* t = attr(a, "Target")) target = t;
  };
  if (auto ok = walk(**rels, wr, "workbook.xml.rels"); !ok) return ok.error();
  if (rid.empty() || target.empty()) return damaged("the workbook has no worksheet");
  target = target.starts_with('/') ? target.substr(1) : "xl/" + target;

  std::vector<std::string> shared;
  auto strings = part("xl/sharedStrings.xml");
  if (!strings) return strings.error();
  if (*strings) {
    xml_walk ws;
    int in_t = 0, in_phonetic = 0;
    ws.start = [&](std::string_view n, const char**) {
      if (n == "si") shared.emplace_back();
      if (n == "rPh") ++in_phonetic;  // the reading of East Asian text, not the text
      if (n == "t") ++in_t;
    };
    ws.end = [&](std::string_view n) {
      if (n == "rPh") --in_phonetic;
      if (n == "t") --in_t;
    };
    ws.text = [&](std::string_view s) {
      if (in_t > 0 && in_phonetic == 0 && !shared.empty()) shared.back() += s;
    };
    if (auto ok = walk(**strings, ws, "sharedStrings.xml"); !ok) return ok.error();
  }

  auto sheet = part(target);
  if (!sheet) return sheet.error();
  if (!*sheet) return damaged("the first worksheet is missing");
  grid g;
  std::optional<error> refused;
  std::size_t row = 0, col = 0;
  std::string type, value;
  bool in_value = false, in_cell = false;
  xml_walk wx;
  wx.start = [&](std::string_view n, const char** a) {
    if (refused) return;
    if (n == "row") {
      const char* r = attr(a, "r");
      row = r ? static_cast<std::size_t>(std::strtoull(r, nullptr, 10)) : g.rows.size() + 1;
      if (row == 0 || row > limits.max_rows)
        refused = file_error("the sheet has more than " + std::to_string(limits.max_rows) +
                                 " rows; split it into smaller files",
                             "file.too_many_rows", {{"max", std::to_string(limits.max_rows)}});
      else if (row > g.rows.size())
        g.rows.resize(row);
      col = 0;
    } else if (n == "c" && row > 0) {
      const char* r = attr(a, "r");
      const auto c = r ? column_of(r) : std::optional{col};
      const char* t = attr(a, "t");
      type = t ? t : "n";
      value.clear();
      in_cell = true;
      col = c.value_or(col);
      if (col >= limits.max_columns)
        refused =
            file_error("the sheet has more than " + std::to_string(limits.max_columns) + " columns",
                       "file.too_many_columns", {{"max", std::to_string(limits.max_columns)}});
    } else if (in_cell && (n == "v" || n == "t")) {
      in_value = true;
    }
  };
  wx.end = [&](std::string_view n) {
    if (refused) return;
    if (n == "v" || n == "t") in_value = false;
    if (n != "c" || !in_cell) return;
    in_cell = false;
    std::string text = value;
    if (type == "s") {
      const auto i = std::strtoull(value.c_str(), nullptr, 10);
      text = i < shared.size() ? shared[i] : std::string{};
    } else if (type == "b") {
      text = value == "1" ? "TRUE" : "FALSE";
    }
    auto& cells = g.rows[row - 1];
    if (cells.size() <= col) cells.resize(col + 1);
    cells[col] = std::move(text);
    ++col;
  };
  wx.text = [&](std::string_view s) {
    if (in_value) value += s;
  };
  if (auto ok = walk(**sheet, wx, target); !ok) return ok.error();
  if (refused) return *refused;
  return g;
}

}  // namespace coldtrace::codec
