#include "codec/payload.hpp"

#include "codec/cbor.hpp"

#include <limits>

namespace coldtrace::codec {
namespace {

constexpr std::size_t field_count = 9;

// Reads an unsigned field and checks it against its range, naming the field on failure.
result<std::uint64_t> field(cbor::reader& r, const char* name, std::uint64_t min,
                            std::uint64_t max) {
  auto v = r.uint();
  if (!v)
    return fail(errc::bad_payload,
                std::string("the code's ") + name + " is not a number (" + v.error().message + ")");
  if (*v < min || *v > max)
    return fail(errc::bad_payload, std::string("the code's ") + name + " is out of range");
  return v;
}

}  // namespace

bytes encode_payload(const payload& p) {
  cbor::writer w;
  w.array(field_count);
  w.uint(payload_version);
  w.uint(p.code_id);
  w.uint(p.root_lot);
  w.bstr(p.split_path);
  w.uint(p.category);
  w.uint(p.quantity_g);
  w.uint(p.holder);
  w.uint(p.origin);
  w.uint(p.issued_day);
  return w.take();
}

result<payload> decode_payload(bytes_view b) {
  cbor::reader r(b);
  auto n = r.array();
  if (!n)
    return fail(errc::bad_payload, "the code's contents are not a list: " + n.error().message);
  if (*n == 0) return fail(errc::bad_payload, "the code's contents are empty");
  auto version = r.uint();
  if (!version) return fail(errc::bad_payload, "the code has no format version");
  if (*version != payload_version)
    return fail(errc::unsupported_version,
                "the code has format version " + std::to_string(*version) +
                    "; this software reads version " + std::to_string(payload_version));
  if (*n != field_count)
    return fail(errc::bad_payload, "a version 1 code has 9 fields, not " + std::to_string(*n));

  constexpr auto any = std::numeric_limits<std::uint64_t>::max();
  payload p;
  auto code_id = field(r, "code id", 1, any);
  if (!code_id) return code_id.error();
  auto root_lot = field(r, "lot", 1, any);
  if (!root_lot) return root_lot.error();
  auto path = r.bstr();
  if (!path) return fail(errc::bad_payload, "the code's split path is not a byte string");
  if (path->size() > max_split_depth)
    return fail(errc::bad_payload, "the code's split path is deeper than " +
                                       std::to_string(max_split_depth) + " levels");
  for (auto step : *path)
    if (step == 0) return fail(errc::bad_payload, "the code's split path has a zero step");
  auto category = field(r, "category", 1, 255);
  if (!category) return category.error();
  auto quantity = field(r, "quantity", 1, any);
  if (!quantity) return quantity.error();
  auto holder = field(r, "holder", 1, any);
  if (!holder) return holder.error();
  auto origin = field(r, "origin country", 1, 999);
  if (!origin) return origin.error();
  auto day = field(r, "issue day", 0, std::numeric_limits<std::uint32_t>::max());
  if (!day) return day.error();
  if (auto end = r.expect_end(); !end) return end.error();

  p.code_id = *code_id;
  p.root_lot = *root_lot;
  p.split_path.assign(path->begin(), path->end());
  p.category = static_cast<std::uint8_t>(*category);
  p.quantity_g = *quantity;
  p.holder = *holder;
  p.origin = static_cast<std::uint16_t>(*origin);
  p.issued_day = static_cast<std::uint32_t>(*day);
  return p;
}

}  // namespace coldtrace::codec
