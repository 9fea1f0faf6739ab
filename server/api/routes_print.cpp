// Print-ready labels (server/print): PDF sheets or single labels, and ZPL for thermal
// printers, for one code or a batch. Who may print is who may read each code (as for the SVG
// and PNG labels, routes_labels.cpp); a label shows only the code's public facts.
#include "codec/number.hpp"
#include "codec/url.hpp"
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/routes.hpp"
#include "server/pages/code_view.hpp"
#include "server/print/labels.hpp"

#include <charconv>

namespace coldtrace::server::api {
namespace {

result<print::label> label_of(const env& e, const storage::actor& by, storage::code_id id) {
  auto code = e.ledger().get_code(by, id);  // decides whether the caller may print it
  if (!code) return code.error();
  // The lot's product, category and origin are public facts of a readable code (the /c/ page
  // shows them), whoever owns the lot record.
  auto lot = e.ledger().get_lot(storage::actor::local_admin(), code->lot);
  if (!lot) return lot.error();
  auto url = codec::make_code_url(e.a.public_host, code->signed_code);
  if (!url) return url.error();
  auto number = codec::number_of_code(code->signed_code);
  if (!number) return number.error();
  print::label l;
  l.url = std::move(*url);
  l.number = codec::format_number(*number);
  l.product = lot->lot.product;
  l.category = pages::category_text(lot->lot.category, pages::lang::zh);
  l.origin = pages::country_text(lot->lot.origin, pages::lang::zh);
  l.quantity = pages::mass_text(code->quantity_g);
  l.code = static_cast<std::uint64_t>(code->id);
  l.lot = static_cast<std::uint64_t>(code->lot);
  return l;
}

// ?codes=1,2,3: ids in the order to print them.
result<std::vector<storage::code_id>> code_list(const request& req) {
  auto text = query_param(req, "codes");
  if (!text || text->empty())
    return codec::fail(codec::errc::bad_value,
                       "the query parameter \"codes\" is required: code ids separated by commas");
  std::vector<storage::code_id> ids;
  for (std::size_t at = 0; at <= text->size();) {
    const auto end = std::min(text->find(',', at), text->size());
    storage::code_id id = 0;
    const auto* first = text->data() + at;
    const auto* last = text->data() + end;
    auto [ptr, ec] = std::from_chars(first, last, id);
    if (ec != std::errc{} || ptr != last || id < 1)
      return codec::fail(codec::errc::bad_value,
                         "\"codes\" must be code ids separated by commas, e.g. 12,13,14");
    ids.push_back(id);
    if (ids.size() > print::max_labels_per_request)
      return codec::fail(codec::errc::bad_value,
                         "at most " + std::to_string(print::max_labels_per_request) +
                             " labels per request; print the rest in another");
    at = end + 1;
  }
  return ids;
}

enum class format { pdf, zpl };

result<response> render(const request& req, const std::vector<print::label>& labels, format f,
                        print::layout default_layout) {
  if (f == format::zpl) {
    auto dpmm = query_integer(req, "dpmm", 6, 24);
    if (!dpmm) return dpmm.error();
    auto zpl = print::render_zpl(labels, static_cast<int>(dpmm->value_or(8)));
    if (!zpl) return zpl.error();
    return text_response(200, std::move(*zpl), "application/vnd.zebra-zpl; charset=utf-8");
  }
  auto layout = default_layout;
  if (auto l = query_param(req, "layout")) {
    if (*l == "sheet")
      layout = print::layout::a4_sheet;
    else if (*l == "label")
      layout = print::layout::single;
    else
      return codec::fail(codec::errc::bad_value,
                         "\"layout\" is sheet (A4, 24 labels of 70 × 37 mm) or label (one "
                         "70 × 37 mm label per page)");
  }
  auto pdf = print::render_pdf(labels, layout);
  if (!pdf) return pdf.error();
  auto r = text_response(200, std::move(*pdf), "application/pdf");
  r.fields.set("Content-Disposition", "inline; filename=\"labels.pdf\"");
  return r;
}

}  // namespace

void add_print_routes(router& r, const env_ptr& e) {
  for (const auto f : {format::pdf, format::zpl}) {
    const std::string ext = f == format::pdf ? "pdf" : "zpl";
    r.add(
        verb::get, "/api/v1/codes/{id}/label." + ext,
        [e, f](const request& req, context& ctx) -> result<response> {
          auto by = authenticate(e->ledger(), req, ctx);
          if (!by) return by.error();
          auto id = path_id(ctx);
          if (!id) return id.error();
          auto l = label_of(*e, *by, *id);
          if (!l) return l.error();
          return render(req, {std::move(*l)}, f, print::layout::single);
        },
        blocking);
    r.add(
        verb::get, "/api/v1/labels." + ext,
        [e, f](const request& req, context& ctx) -> result<response> {
          auto by = authenticate(e->ledger(), req, ctx);
          if (!by) return by.error();
          auto ids = code_list(req);
          if (!ids) return ids.error();
          std::vector<print::label> labels;
          for (const auto id : *ids) {
            auto l = label_of(*e, *by, id);
            if (!l) return l.error();
            labels.push_back(std::move(*l));
          }
          return render(req, labels, f, print::layout::a4_sheet);
        },
        blocking);
  }
}

}  // namespace coldtrace::server::api
