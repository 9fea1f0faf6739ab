// Importing a spreadsheet of receipts, dispatches or sales (the console's file input): the
// templates to fill in, GET /api/v1/import/templates/{kind}.csv|xlsx, and POST /api/v1/import
// with the file as the body. Its rows become one batch (storage's, as POST /api/v1/batch
// makes), the report names each row a person must fix, by row number and column.
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/import_rows.hpp"
#include "server/api/routes.hpp"
#include "server/error.hpp"
#include "server/error_map.hpp"
#include "server/messages.hpp"

#include <boost/json/array.hpp>

#include <set>

namespace coldtrace::server::api {
namespace {

using storage::actor;

constexpr std::string_view xlsx_type =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// GET /api/v1/import/templates/{kind}.csv|xlsx?lang=zh|en: public, a download link needs no
// token, and a template holds nothing but its headers and how to fill them in.
result<response> template_file(const request& req, context& ctx) {
  if (auto ok = only_query_params(req, {"lang"}); !ok) return ok.error();
  const std::string file(ctx.params["file"]);
  const auto dot = file.rfind('.');
  const auto kind = import_kind_from(file.substr(0, dot == std::string::npos ? 0 : dot));
  const auto ext = dot == std::string::npos ? std::string{} : file.substr(dot + 1);
  if (!kind || (ext != "csv" && ext != "xlsx"))
    return fail(errc::not_found, "no template \"" + shown(file) +
                                     "\"; there are receipts, dispatches and sales, .csv or .xlsx");
  const auto l = pages::choose_lang(req);
  std::string bytes;
  if (ext == "csv") {
    bytes = codec::to_csv(import_template(*kind, l));
  } else {
    auto x = codec::to_xlsx(import_template_book(*kind, l));
    if (!x) return x.error();
    bytes = std::move(*x);
  }
  auto r = text_response(200, std::move(bytes),
                         ext == "csv" ? "text/csv; charset=utf-8" : std::string(xlsx_type));
  r.fields.set("Content-Disposition", "attachment; filename=\"coldtrace-import-" +
                                          std::string(to_string(*kind)) + "." + ext + "\"");
  return r;
}

json::object report_json(const import_plan& plan, const storage::batch_result& out, bool dry_run,
                         pages::lang l) {
  json::array problems;
  std::set<std::size_t> bad_rows;
  for (const auto& p : plan.problems) {
    bad_rows.insert(p.row);
    const auto code = map_error(p.why.code).code;
    problems.push_back({{"row", p.row},
                        {"column", p.column},
                        {"code", code},
                        {"message", localized_message(p.why, code, l)}});
  }
  std::int64_t replayed = 0;
  for (const auto& line : out.lines) replayed += line.replayed ? 1 : 0;
  return {{"kind", to_string(plan.kind)},
          {"dry_run", dry_run},
          {"written", out.written},
          {"rows", plan.data_rows},
          {"ok", plan.data_rows - bad_rows.size()},
          {"failed", bad_rows.size()},
          {"replayed", replayed},
          {"problems", std::move(problems)}};
}

// POST /api/v1/import?dry_run=true&lang=zh|en, the file (CSV or XLSX) as the body.
void import_file(const env& e, const request& req, context& ctx, respond done) {
  auto by = authenticate(e.ledger(), req, ctx);
  if (!by) return refuse(done, by.error());
  if (auto ok = only_query_params(req, {"dry_run", "lang"}); !ok) return refuse(done, ok.error());
  const auto dry = query_param(req, "dry_run").value_or("false");
  if (dry != "true" && dry != "false")
    return refuse(done, codec::fail(codec::errc::bad_value, "\"dry_run\" is \"" + shown(dry) +
                                                                "\"; it must be true or false"));
  const auto keys = e.keys();
  const line_codes codes{keys->published, e.own_hosts, by->unit};
  auto plan = plan_import(req.body, codes, units_in(e.ledger()));
  if (!plan) return refuse(done, plan.error());
  if (plan->data_rows == 0)
    return refuse(done, error{codec::make_error_code(codec::errc::bad_value),
                              "the file has no rows below its header",
                              "import.no_rows",
                              {}});
  storage::batch_request r;
  r.lines = plan->lines;
  r.dry_run = dry == "true";
  auto shared = std::make_shared<import_plan>(std::move(*plan));
  const bool dry_run = r.dry_run;
  e.ledger().async_batch(e.as(*by), std::move(r),
                         answer_with<storage::batch_result>(
                             std::move(done), [shared, dry_run, l = pages::choose_lang(req)](
                                                  const storage::batch_result& out) {
                               add_outcomes(*shared, out);
                               return json_response(200, report_json(*shared, out, dry_run, l));
                             }));
}

}  // namespace

void add_import_routes(router& r, const env_ptr& e) {
  r.add(verb::get, "/api/v1/import/templates/{file}", template_file);
  r.add_async(verb::post, "/api/v1/import", [e](const request& req, context& ctx, respond done) {
    import_file(*e, req, ctx, std::move(done));
  });
}

}  // namespace coldtrace::server::api
