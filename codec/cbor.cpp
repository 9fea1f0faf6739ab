#include "codec/cbor.hpp"

#include <string>

namespace coldtrace::codec::cbor {
namespace {

constexpr const char* major_names[] = {"an unsigned integer",
                                       "a negative integer",
                                       "a byte string",
                                       "a text string",
                                       "an array",
                                       "a map",
                                       "a tag",
                                       "a simple value or float"};

}  // namespace

void writer::head(std::uint8_t major, std::uint64_t v) {
  const auto mt = static_cast<std::uint8_t>(major << 5);
  if (v < 24) {
    out_.push_back(static_cast<std::uint8_t>(mt | v));
    return;
  }
  int n = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffff ? 4 : 8;
  out_.push_back(static_cast<std::uint8_t>(mt | (n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27)));
  for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void writer::integer(std::int64_t v) {
  if (v >= 0)
    head(0, static_cast<std::uint64_t>(v));
  else
    head(1, static_cast<std::uint64_t>(-(v + 1)));
}

void writer::bstr(bytes_view b) {
  head(2, b.size());
  out_.insert(out_.end(), b.begin(), b.end());
}

void writer::tstr(std::string_view s) {
  head(3, s.size());
  out_.insert(out_.end(), s.begin(), s.end());
}

result<reader::item_head> reader::head() {
  if (pos_ >= in_.size())
    return fail(errc::bad_cbor, "the code ends too early (byte " + std::to_string(pos_) + ")");
  const std::size_t start = pos_;
  const std::uint8_t initial = in_[pos_++];
  const std::uint8_t major = initial >> 5, info = initial & 31;
  if (info < 24) return item_head{major, info};
  if (info == 31)
    return fail(errc::not_canonical,
                "indefinite-length item at byte " + std::to_string(start) + " is not allowed");
  if (info > 27) return fail(errc::bad_cbor, "reserved CBOR head at byte " + std::to_string(start));
  const std::size_t n = std::size_t{1} << (info - 24);
  if (in_.size() - pos_ < n)
    return fail(errc::bad_cbor, "the code ends inside an item at byte " + std::to_string(start));
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v << 8 | in_[pos_++];
  // Deterministic encoding: the value must need the head size it was given.
  const std::uint64_t min_for_size = n == 1 ? 24 : n == 2 ? 0x100 : n == 4 ? 0x10000 : 0x100000000;
  if (v < min_for_size)
    return fail(errc::not_canonical,
                "integer at byte " + std::to_string(start) + " is not in its shortest form");
  return item_head{major, v};
}

result<reader::item_head> reader::head_of(std::uint8_t major, const char* what) {
  const std::size_t start = pos_;
  auto h = head();
  if (!h) return h.error();
  if (h->major != major)
    return fail(errc::bad_cbor, std::string("expected ") + what + " at byte " +
                                    std::to_string(start) + ", found " + major_names[h->major]);
  return h;
}

result<bytes_view> reader::take(std::uint64_t n) {
  if (n > in_.size() - pos_)
    return fail(errc::bad_cbor, "a string runs past the end of the code (" + std::to_string(n) +
                                    " bytes declared, " + std::to_string(in_.size() - pos_) +
                                    " left)");
  auto out = in_.subspan(pos_, static_cast<std::size_t>(n));
  pos_ += static_cast<std::size_t>(n);
  return out;
}

result<std::uint64_t> reader::uint() {
  auto h = head_of(0, major_names[0]);
  if (!h) return h.error();
  return h->value;
}

result<std::int64_t> reader::integer() {
  const std::size_t start = pos_;
  auto h = head();
  if (!h) return h.error();
  if (h->major > 1 || h->value > static_cast<std::uint64_t>(INT64_MAX))
    return fail(errc::bad_cbor, "expected an integer at byte " + std::to_string(start));
  const auto v = static_cast<std::int64_t>(h->value);
  return h->major == 0 ? v : -1 - v;
}

result<bytes_view> reader::bstr() {
  auto h = head_of(2, major_names[2]);
  if (!h) return h.error();
  return take(h->value);
}

result<std::string_view> reader::tstr() {
  auto h = head_of(3, major_names[3]);
  if (!h) return h.error();
  auto b = take(h->value);
  if (!b) return b.error();
  return std::string_view(reinterpret_cast<const char*>(b->data()), b->size());
}

result<std::uint64_t> reader::array() {
  auto h = head_of(4, major_names[4]);
  if (!h) return h.error();
  return h->value;
}

result<std::uint64_t> reader::map() {
  auto h = head_of(5, major_names[5]);
  if (!h) return h.error();
  return h->value;
}

result<std::uint64_t> reader::tag() {
  auto h = head_of(6, major_names[6]);
  if (!h) return h.error();
  return h->value;
}

result<void> reader::expect_end() const {
  if (at_end()) return {};
  return fail(errc::bad_cbor,
              std::to_string(in_.size() - pos_) + " unexpected bytes after the end of the code");
}

}  // namespace coldtrace::codec::cbor
