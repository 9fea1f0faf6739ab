#include "server/api/batch_lines.hpp"

#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "server/api/requests.hpp"
#include "server/error_map.hpp"
#include "server/messages.hpp"

#include <algorithm>

namespace coldtrace::server::api {
namespace {

using json_type::integer;
using json_type::string;

result<storage::batch_op> op_of(const json::object& o, const std::string& where) {
  const auto* op = o.if_contains("op");
  if (!op || !op->is_string())
    return fail(errc::missing_field, where + "op is missing: receipt, dispatch or sale",
                "json.missing_field", {{"field", where + "op"}});
  if (*op == "receipt") return storage::batch_op::receipt;
  if (*op == "dispatch") return storage::batch_op::dispatch;
  if (*op == "sale") return storage::batch_op::sale;
  return codec::fail(codec::errc::bad_value, "\"" + where + "op\" is \"" + shown(op->as_string()) +
                                                 "\"; it must be receipt, dispatch or sale");
}

// The fields of each kind of line; "code" is an id or a code's URL or digits where the
// single endpoint takes both, as there.
std::span<const json_field> fields_of(storage::batch_op op, bool code_by_id) {
  static constexpr json_field receipt_text[] = {{"ref", string}, {"op", string}, {"code", string}};
  static constexpr json_field receipt_id[] = {{"ref", string}, {"op", string}, {"code", integer}};
  static constexpr json_field dispatch_text[] = {{"ref", string},
                                                 {"op", string},
                                                 {"code", string},
                                                 {"consignee", integer},
                                                 {"quantity_g", integer}};
  static constexpr json_field dispatch_id[] = {{"ref", string},
                                               {"op", string},
                                               {"code", integer},
                                               {"consignee", integer},
                                               {"quantity_g", integer}};
  static constexpr json_field sale[] = {
      {"ref", string}, {"op", string}, {"code", string}, {"quantity_g", integer}};
  switch (op) {
    case storage::batch_op::receipt:
      return code_by_id ? std::span<const json_field>{receipt_id} : receipt_text;
    case storage::batch_op::dispatch:
      return code_by_id ? std::span<const json_field>{dispatch_id} : dispatch_text;
    case storage::batch_op::sale: return sale;
  }
  return sale;
}

}  // namespace

result<std::string> client_ref(std::string_view ref, std::string_view field) {
  const bool printable =
      std::all_of(ref.begin(), ref.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (ref.empty() || ref.size() > max_ref || !printable)
    return codec::fail(codec::errc::bad_value, "\"" + std::string(field) + "\" must be 1 to " +
                                                   std::to_string(max_ref) +
                                                   " printable ASCII characters");
  return std::string(ref);
}

result<storage::batch_line> decode_batch_line(const json::value& v, std::size_t index,
                                              const line_codes& codes) {
  const std::string where = "lines[" + std::to_string(index) + "].";
  if (!v.is_object()) return fail(errc::not_an_object, "each line must be a JSON object ({...})");
  const auto& o = v.get_object();
  auto op = op_of(o, where);
  if (!op) return op.error();
  const auto* code = o.if_contains("code");
  const bool by_id = code && code->is_number() && *op != storage::batch_op::sale;
  if (auto ok = check_fields(o, fields_of(*op, by_id), where); !ok) return ok.error();
  storage::batch_line l;
  l.op = *op;
  auto ref = client_ref(get_string(o, "ref"), where + "ref");
  if (!ref) return ref.error();
  l.ref = std::move(*ref);
  if (*op == storage::batch_op::sale) {
    l.sale.code = scanned(get_string(o, "code"), codes.own);
    l.sale.unit = codes.unit;
    l.sale.quantity_g = get_integer(o, "quantity_g");
    return l;
  }
  auto id = code_reference(o, codes.keys);
  if (!id) return id.error();
  if (*op == storage::batch_op::receipt) {
    l.code = *id;
    return l;
  }
  l.dispatch = {*id, get_integer(o, "consignee"), get_integer(o, "quantity_g")};
  return l;
}

std::string line_message(const error& e, std::size_t line, std::string_view ref, pages::lang l) {
  const auto code = map_error(e.code).code;
  const auto message = localized_message(e, code, l);
  const auto n = std::to_string(line);
  if (l == pages::lang::en)
    return "line " + n + (ref.empty() ? "" : " (" + std::string(ref) + ")") + ": " + message;
  return "第 " + n + " 行" + (ref.empty() ? "" : "（" + std::string(ref) + "）") + "：" + message;
}

json::object line_error(const error& e, std::size_t line, std::string_view ref, pages::lang l) {
  return {{"code", map_error(e.code).code}, {"message", line_message(e, line, ref, l)}};
}

json::object line_json(const storage::batch_line_result& r, storage::batch_op op, std::size_t line,
                       pages::lang l, std::string_view host) {
  json::object o{{"line", line},
                 {"ref", r.ref},
                 {"op", op == storage::batch_op::receipt    ? "receipt"
                        : op == storage::batch_op::dispatch ? "dispatch"
                                                            : "sale"},
                 {"status", to_string(r.status)}};
  if (r.failure) o["error"] = line_error(*r.failure, line, r.ref, l);
  if (r.code) o["code"] = to_json(*r.code, host);
  if (r.sale) o["sale"] = to_json(*r.sale);
  return o;
}

}  // namespace coldtrace::server::api
