#include "storage/exports.hpp"

#include <chrono>
#include <cstdio>
#include <utility>

namespace coldtrace::storage {
namespace {

constexpr std::array kind_names{
    std::pair{"lots", "批次"},          std::pair{"tests", "检测"},
    std::pair{"disinfections", "消毒"}, std::pair{"codes", "追溯码"},
    std::pair{"dispatches", "发货"},    std::pair{"receipts", "收货"},
    std::pair{"sales", "销售"},         std::pair{"recall_holders", "召回持有单位"}};

// The terms the ledger stores in English, as a Chinese reader knows them.
constexpr std::pair<std::string_view, std::string_view> terms_zh[] = {
    {"held", "待放行"},
    {"released", "已放行"},
    {"quarantined", "已隔离"},
    {"pending", "待接收"},
    {"active", "在用"},
    {"negative", "阴性"},
    {"positive", "阳性"},
    {"outer_packaging", "外包装"},
    {"food_surface", "食品表面"},
    {"environment", "环境"},
    {"imported_fruit", "进口水果"},
    {"imported_ambient", "进口常温食品"},
    {"domestic_frozen", "国产冷冻肉禽水产品"},
    {"notified", "已通知"},
    {"seen", "已查看"},
    {"acted", "已处置"},
    {"overdue", "逾期未处置"},
};

std::string beijing_time(std::int64_t seconds) {
  const auto t = std::chrono::sys_seconds{std::chrono::seconds{seconds}} + std::chrono::hours{8};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

codec::cell shown(const codec::cell& v, column_type type, language lang) {
  const auto* i = std::get_if<std::int64_t>(&v);
  switch (type) {
    case column_type::kg: return i ? codec::cell{static_cast<double>(*i) / 1000.0} : v;
    case column_type::time: return i ? codec::cell{beijing_time(*i)} : v;
    case column_type::term:
      if (const auto* t = std::get_if<std::string>(&v); t && lang == language::zh)
        for (const auto& [en, zh] : terms_zh)
          if (*t == en) return std::string{zh};
      return v;
    default: return v;
  }
}

}  // namespace

std::string_view to_string(export_kind k) {
  return kind_names[static_cast<std::size_t>(k)].first;
}

std::optional<export_kind> export_kind_from(std::string_view s) {
  // Only the kinds of a period export (all_export_kinds) are asked for by name.
  for (std::size_t i = 0; i < all_export_kinds.size(); ++i)
    if (s == kind_names[i].first) return static_cast<export_kind>(i);
  return std::nullopt;
}

codec::sheet to_sheet(const export_table& t, language lang) {
  codec::sheet s;
  const auto& names = kind_names[static_cast<std::size_t>(t.kind)];
  s.name = lang == language::zh ? names.second : names.first;
  for (const auto& c : t.columns) {
    std::string h{lang == language::zh ? c.zh : c.en};
    if (c.type == column_type::time) h += lang == language::zh ? "（北京时间）" : " (UTC+8)";
    s.header.push_back(std::move(h));
  }
  s.rows.reserve(t.rows.size());
  for (const auto& row : t.rows) {
    std::vector<codec::cell> out;
    out.reserve(row.size());
    for (std::size_t i = 0; i < row.size() && i < t.columns.size(); ++i)
      out.push_back(shown(row[i], t.columns[i].type, lang));
    s.rows.push_back(std::move(out));
  }
  return s;
}

result<std::string> render(const std::vector<export_table>& tables, language lang,
                           export_format format) {
  if (format == export_format::csv) {
    if (tables.size() != 1)
      return fail(errc::invalid_input, "a CSV file holds one kind of record; ask for XLSX");
    return codec::to_csv(to_sheet(tables.front(), lang));
  }
  std::vector<codec::sheet> sheets;
  for (const auto& t : tables) sheets.push_back(to_sheet(t, lang));
  return codec::to_xlsx(sheets);
}

}  // namespace coldtrace::storage
