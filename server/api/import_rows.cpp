#include "server/api/import_rows.hpp"

#include "server/api/decode.hpp"
#include "server/api/requests.hpp"
#include "server/error_map.hpp"
#include "server/messages.hpp"
#include "storage/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace coldtrace::server::api {
namespace {

enum class col { ref, code, consignee, quantity };

struct column {
  col key;
  std::string_view zh, en, hint_zh, hint_en;
};

constexpr column columns[] = {
    {col::ref, "参考号", "Reference",
     "本单位给这一行起的编号（如单据号），1 到 64 "
     "个英文字母、数字或符号；同一参考号重复导入只记一次",
     "Your own number for the row (e.g. the document number), 1 to 64 ASCII characters; a "
     "row imported again with its reference is recorded once"},
    {col::code, "追溯码", "Code", "追溯码的网址、码下的数字，或码编号（销售须填网址或码下数字）",
     "The code's URL, the number printed under it, or its id (sales: the URL or the number)"},
    {col::consignee, "收货单位", "Consignee", "收货单位的单位编号或 18 位统一社会信用代码",
     "The consignee's unit id or its 18-character credit code"},
    {col::quantity, "数量（千克）", "Quantity (kg)", "千克数，大于 0，最多三位小数，如 12.5",
     "Kilograms, more than 0, at most three decimals, e.g. 12.5"},
};

const column& column_of(col c) {
  return columns[static_cast<std::size_t>(c)];
}

std::vector<col> columns_of(import_kind k) {
  switch (k) {
    case import_kind::receipts: return {col::ref, col::code};
    case import_kind::dispatches: return {col::ref, col::code, col::consignee, col::quantity};
    case import_kind::sales: return {col::ref, col::code, col::quantity};
  }
  return {};
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view name(col c, pages::lang l) {
  return l == pages::lang::en ? column_of(c).en : column_of(c).zh;
}

std::optional<std::int64_t> grams_of(std::string_view text) {
  const std::string t(text);
  if (t.empty() || t.find_first_not_of("0123456789.eE+-") != std::string::npos) return {};
  char* end = nullptr;
  const double kg = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !(kg > 0) || kg > 1e9) return {};
  const double g = kg * 1000;
  const auto whole = std::llround(g);
  if (whole < 1 || std::fabs(g - static_cast<double>(whole)) > 1e-6) return {};
  return whole;
}

error problem(std::string message, std::string detail, message_args args) {
  return {codec::make_error_code(codec::errc::bad_value), std::move(message), std::move(detail),
          std::move(args)};
}

std::string_view verdict_zh(verdict v) {
  switch (v) {
    case verdict::recalled: return "所属批次已召回";
    case verdict::quarantined: return "所属批次已隔离";
    case verdict::not_released: return "所属批次尚未放行";
    case verdict::wrong_holder: return "这个码不在本单位";
    case verdict::exhausted: return "这个码的数量已用完";
    case verdict::pending_receipt: return "这个码尚未收货";
    case verdict::forged: return "码是伪造的";
    case verdict::malformed: return "无法识别的码";
    default: return "不是本平台的码";
  }
}

storage::errc denial_code(verdict v) {
  switch (v) {
    case verdict::recalled: return storage::errc::recalled;
    case verdict::quarantined: return storage::errc::quarantined;
    case verdict::not_released: return storage::errc::not_released;
    case verdict::wrong_holder: return storage::errc::wrong_unit;
    case verdict::exhausted: return storage::errc::insufficient_quantity;
    case verdict::pending_receipt: return storage::errc::pending_receipt;
    default: return storage::errc::invalid_input;
  }
}

// The column a ledger error is about, so the report points at the cell to fix.
col column_for(const error& e) {
  const auto code = map_error(e.code).code;
  if (code == "idempotency_key_reused") return col::ref;
  if (code == "insufficient_quantity" || e.detail == "dispatch.quantity") return col::quantity;
  if (e.detail == "dispatch.self" || e.detail == "dispatch.regulator") return col::consignee;
  for (const auto& [k, v] : e.args)
    if (k == "what" && v == "unit") return col::consignee;
  return col::code;
}

}  // namespace

std::string_view to_string(import_kind k) {
  switch (k) {
    case import_kind::receipts: return "receipts";
    case import_kind::dispatches: return "dispatches";
    case import_kind::sales: return "sales";
  }
  return "receipts";
}

std::optional<import_kind> import_kind_from(std::string_view s) {
  for (auto k : {import_kind::receipts, import_kind::dispatches, import_kind::sales})
    if (to_string(k) == s) return k;
  return std::nullopt;
}

codec::sheet import_template(import_kind k, pages::lang l) {
  const bool en = l == pages::lang::en;
  codec::sheet s;
  s.name = en                             ? std::string(to_string(k))
           : k == import_kind::receipts   ? "收货"
           : k == import_kind::dispatches ? "发货"
                                          : "销售";
  for (auto c : columns_of(k)) s.header.emplace_back(name(c, l));
  return s;
}

std::vector<codec::sheet> import_template_book(import_kind k, pages::lang l) {
  const bool en = l == pages::lang::en;
  codec::sheet help;
  help.name = en ? "How to fill in" : "填写说明";
  help.header = {en ? "Column" : "列", en ? "What to write" : "填写内容"};
  for (auto c : columns_of(k))
    help.rows.push_back(
        {std::string(name(c, l)), std::string(en ? column_of(c).hint_en : column_of(c).hint_zh)});
  help.rows.push_back(
      {en ? "Rows" : "行", en ? "One operation per row, below the header; at most 20000 rows"
                              : "每行一笔，写在表头下面；一个文件最多 20000 行"});
  return {import_template(k, l), std::move(help)};
}

result<import_plan> plan_import(std::string_view file, const line_codes& codes,
                                const unit_lookup& units) {
  auto g = codec::looks_like_zip(file) ? codec::read_xlsx(file) : codec::read_csv(file);
  if (!g) return g.error();
  auto blank = [](const std::vector<std::string>& row) {
    return std::all_of(row.begin(), row.end(), [](const auto& c) { return trim(c).empty(); });
  };
  std::size_t h = 0;
  while (h < g->rows.size() && blank(g->rows[h])) ++h;
  if (h == g->rows.size())
    return problem("the file is empty: its first row must be a template's header",
                   "import.no_header", {});
  // The header: each cell names a column, in either language, in any order.
  std::vector<std::optional<col>> at;
  std::vector<std::string> header_text(std::size(columns));
  auto expected = [&](import_kind k) {
    std::string s;
    for (auto c : columns_of(k)) s += (s.empty() ? "" : ", ") + std::string(column_of(c).zh);
    return s;
  };
  for (const auto& cell : g->rows[h]) {
    const auto t = trim(cell);
    std::optional<col> found;
    for (const auto& c : columns)
      if (t == c.zh || t == c.en) found = c.key;
    if (!found && !t.empty())
      return problem(
          "row " + std::to_string(h + 1) + " is not a template's header: \"" + shown(t) +
              "\" is no column of one",
          "import.headers",
          {{"row", std::to_string(h + 1)}, {"expected", expected(import_kind::dispatches)}});
    if (found) header_text[static_cast<std::size_t>(*found)] = std::string(t);
    at.push_back(found);
  }
  auto has = [&](col c) { return std::find(at.begin(), at.end(), c) != at.end(); };
  import_plan plan;
  plan.kind = has(col::consignee)  ? import_kind::dispatches
              : has(col::quantity) ? import_kind::sales
                                   : import_kind::receipts;
  for (auto c : columns_of(plan.kind))
    if (!has(c))
      return problem("row " + std::to_string(h + 1) + " lacks the column \"" +
                         std::string(column_of(c).en) + "\"",
                     "import.headers",
                     {{"row", std::to_string(h + 1)}, {"expected", expected(plan.kind)}});
  plan.column_names = header_text;
  for (std::size_t r = h + 1; r < g->rows.size(); ++r) {
    const auto& row = g->rows[r];
    if (blank(row)) continue;
    ++plan.data_rows;
    std::array<std::string_view, std::size(columns)> cell{};
    for (std::size_t i = 0; i < row.size() && i < at.size(); ++i)
      if (at[i]) cell[static_cast<std::size_t>(*at[i])] = trim(row[i]);
    const auto before = plan.problems.size();
    auto report = [&](col c, error e) {
      plan.problems.push_back({r + 1, header_text[static_cast<std::size_t>(c)], std::move(e)});
    };
    for (auto c : columns_of(plan.kind))
      if (cell[static_cast<std::size_t>(c)].empty())
        report(c, problem("fill in \"" + std::string(column_of(c).en) + "\"", "import.required",
                          {{"column", header_text[static_cast<std::size_t>(c)]}}));
    if (plan.problems.size() > before) continue;
    storage::batch_line l;
    if (auto ref = client_ref(cell[0], "reference"); ref)
      l.ref = std::move(*ref);
    else
      report(col::ref, problem(ref.error().message, "import.ref", {}));
    const auto code_text = cell[static_cast<std::size_t>(col::code)];
    std::optional<std::int64_t> grams;
    if (plan.kind != import_kind::receipts) {
      grams = grams_of(cell[static_cast<std::size_t>(col::quantity)]);
      if (!grams)
        report(col::quantity,
               problem("\"" + shown(cell[3]) + "\" is not a number of kilograms (e.g. 12.5)",
                       "import.quantity", {{"value", std::string(cell[3])}}));
    }
    if (plan.kind == import_kind::sales) {
      l.op = storage::batch_op::sale;
      l.sale.code = scanned(code_text, codes.own);
      l.sale.unit = codes.unit;
      l.sale.quantity_g = grams;
    } else if (auto id = signed_code_id(code_text, codes.keys); !id) {
      report(col::code, problem(id.error().message, "import.code",
                                {{"value", std::string(code_text.substr(0, 40))}}));
    } else if (plan.kind == import_kind::receipts) {
      l.op = storage::batch_op::receipt;
      l.code = *id;
    } else {
      l.op = storage::batch_op::dispatch;
      const auto to = cell[static_cast<std::size_t>(col::consignee)];
      const auto unit = units(to);
      if (!unit)
        report(col::consignee, problem("no unit \"" + shown(to) + "\": write its id or credit code",
                                       "import.consignee", {{"value", std::string(to)}}));
      l.dispatch = {*id, unit.value_or(0), grams.value_or(0)};
    }
    if (plan.problems.size() > before) continue;
    plan.lines.push_back(std::move(l));
    plan.rows.push_back(r + 1);
  }
  return plan;
}

unit_lookup units_in(storage::ledger& l) {
  return [&l](std::string_view text) -> std::optional<storage::unit_id> {
    if (!text.empty() && text.size() <= 15 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const auto id = std::stoll(std::string(text));
      if (id > 0 && l.get_unit(id)) return id;
      return std::nullopt;
    }
    if (text.size() != 18) return std::nullopt;
    std::string upper(text);
    for (auto& c : upper)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    auto found = l.find_units(upper, storage::page{0, 10});
    if (!found) return std::nullopt;
    for (const auto& u : *found)
      if (u.credit_code == upper) return u.id;
    return std::nullopt;
  };
}

void add_outcomes(import_plan& plan, const storage::batch_result& out) {
  for (std::size_t i = 0; i < out.lines.size() && i < plan.rows.size(); ++i) {
    const auto& r = out.lines[i];
    std::optional<error> why = r.failure;
    if (!why && r.status == storage::line_status::denied && r.sale)
      why = error{storage::make_error_code(denial_code(r.sale->verdict)),
                  "the sale was refused: " + std::string(to_string(r.sale->verdict)),
                  "import.denied",
                  {{"verdict", std::string(verdict_zh(r.sale->verdict))}}};
    if (!why) continue;
    const auto c = column_for(*why);
    const auto n = static_cast<std::size_t>(c);
    plan.problems.push_back({plan.rows[i],
                             n < plan.column_names.size() ? plan.column_names[n] : std::string{},
                             std::move(*why)});
  }
  std::stable_sort(plan.problems.begin(), plan.problems.end(),
                   [](const auto& a, const auto& b) { return a.row < b.row; });
}

codec::sheet problem_sheet(const import_plan& plan, pages::lang l) {
  const bool en = l == pages::lang::en;
  codec::sheet s;
  s.name = en ? "Problems" : "问题";
  s.header = {en ? "Row" : "行号", en ? "Column" : "列", en ? "Problem" : "问题"};
  for (const auto& p : plan.problems)
    s.rows.push_back({static_cast<std::int64_t>(p.row), p.column,
                      localized_message(p.why, map_error(p.why.code).code, l)});
  return s;
}

}  // namespace coldtrace::server::api
