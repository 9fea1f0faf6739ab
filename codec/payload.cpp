#include "codec/payload.hpp"

#include "codec/cbor.hpp"

#include <algorithm>
#include <limits>

namespace coldtrace::codec {
namespace {

constexpr std::size_t goods_fields = 9;
constexpr std::size_t label_fields = 4;
constexpr std::uint8_t escape = 0;
constexpr auto any = std::numeric_limits<std::uint64_t>::max();

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

result<payload> decode_label(cbor::reader& r) {
  payload p;
  auto code_id = field(r, "code id", 1, any);
  if (!code_id) return code_id.error();
  auto warehouse = field(r, "warehouse", 1, any);
  if (!warehouse) return warehouse.error();
  auto day = field(r, "issue day", 0, std::numeric_limits<std::uint32_t>::max());
  if (!day) return day.error();
  if (auto end = r.expect_end(); !end) return end.error();
  p.code_id = *code_id;
  p.holder = *warehouse;
  p.issued_day = static_cast<std::uint32_t>(*day);
  return p;
}

result<payload> decode_goods(cbor::reader& r, std::uint64_t version) {
  payload p;
  auto code_id = field(r, "code id", 1, any);
  if (!code_id) return code_id.error();
  auto root_lot = field(r, "lot", 1, any);
  if (!root_lot) return root_lot.error();
  auto path = r.bstr();
  if (!path) return fail(errc::bad_payload, "the code's split path is not a byte string");
  if (version == 1 && std::find(path->begin(), path->end(), escape) != path->end())
    return fail(errc::bad_payload, "the code's split path has a zero step");
  auto levels = split_levels(*path);
  if (!levels) return levels.error();
  // Canonical: a code that version 1 can say is written as version 1.
  if (version == 2 && std::find(path->begin(), path->end(), escape) == path->end())
    return fail(errc::bad_payload, "a version 2 code's split path must need version 2");
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

}  // namespace

std::uint64_t payload::version() const {
  const bool escaped = std::find(split_path.begin(), split_path.end(), escape) != split_path.end();
  return is_label() || escaped ? 2 : 1;
}

bytes encode_payload(const payload& p) {
  cbor::writer w;
  if (p.is_label()) {
    w.array(label_fields);
    w.uint(2);
    w.uint(p.code_id);
    w.uint(p.holder);
    w.uint(p.issued_day);
    return w.take();
  }
  w.array(goods_fields);
  w.uint(p.version());
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
  if (*version < 1 || *version > payload_version)
    return fail(errc::unsupported_version, "the code has format version " +
                                               std::to_string(*version) +
                                               "; this software reads versions 1 and 2");
  if (*version == 2 && *n == label_fields) return decode_label(r);
  if (*n != goods_fields)
    return fail(errc::bad_payload, "a version " + std::to_string(*version) + " code has " +
                                       (*version == 1 ? "9 fields" : "9 or 4 fields") + ", not " +
                                       std::to_string(*n));
  return decode_goods(r, *version);
}

result<std::vector<std::uint32_t>> split_levels(bytes_view path) {
  if (path.size() > max_split_path_bytes)
    return fail(errc::bad_payload, "the code's split path is longer than " +
                                       std::to_string(max_split_path_bytes) + " bytes");
  std::vector<std::uint32_t> levels;
  for (std::size_t i = 0; i < path.size();) {
    if (levels.size() == max_split_depth)
      return fail(errc::bad_payload, "the code's split path is deeper than " +
                                         std::to_string(max_split_depth) + " levels");
    if (path[i] != escape) {
      levels.push_back(path[i++]);
      continue;
    }
    if (path.size() - i < 4)
      return fail(errc::bad_payload, "the code's split path ends in the middle of a level");
    const std::uint32_t ordinal = std::uint32_t{path[i + 1]} << 16 |
                                  std::uint32_t{path[i + 2]} << 8 | std::uint32_t{path[i + 3]};
    if (ordinal < 256)
      return fail(errc::bad_payload, "the code's split path writes a small ordinal long-hand");
    levels.push_back(ordinal);
    i += 4;
  }
  return levels;
}

void append_split_level(bytes& path, std::uint32_t ordinal) {
  if (ordinal < 256) {
    path.push_back(static_cast<std::uint8_t>(ordinal));
    return;
  }
  path.push_back(escape);
  path.push_back(static_cast<std::uint8_t>(ordinal >> 16));
  path.push_back(static_cast<std::uint8_t>(ordinal >> 8));
  path.push_back(static_cast<std::uint8_t>(ordinal));
}

}  // namespace coldtrace::codec
