// The subset of CBOR (RFC 8949) that codes use: unsigned and negative integers, byte and text
// strings, arrays, maps and tags, definite lengths only, in the core deterministic encoding of
// RFC 8949 §4.2.1 (shortest heads). The reader rejects every other form, so one code has
// exactly one byte string.
//
// Written here rather than taken from libcbor (Debian 0.8): its tree decoder cannot tell a
// non-shortest head from a shortest one and allocates by header-declared counts, and as a
// system library it is not instrumented when we fuzz. This subset is small enough to read
// whole and is fuzzed with sanitizers (tests/fuzz).
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

namespace coldtrace::codec::cbor {

class writer {
 public:
  void uint(std::uint64_t v) { head(0, v); }
  void integer(std::int64_t v);  // major type 0 or 1
  void bstr(bytes_view b);
  void tstr(std::string_view s);
  void array(std::size_t n) { head(4, n); }
  void map(std::size_t n) { head(5, n); }
  void tag(std::uint64_t t) { head(6, t); }

  const bytes& data() const { return out_; }
  bytes take() { return std::move(out_); }

 private:
  void head(std::uint8_t major, std::uint64_t v);
  bytes out_;
};

class reader {
 public:
  explicit reader(bytes_view in) : in_(in) {}
  explicit reader(bytes&&) = delete;  // the reader keeps a view: the bytes must outlive it

  result<std::uint64_t> uint();
  result<std::int64_t> integer();
  result<bytes_view> bstr();
  result<std::string_view> tstr();
  result<std::uint64_t> array();  // the element count
  result<std::uint64_t> map();    // the pair count
  result<std::uint64_t> tag();

  bool at_end() const { return pos_ == in_.size(); }
  std::size_t position() const { return pos_; }
  // Error unless every byte was read: trailing bytes make a different code.
  result<void> expect_end() const;

 private:
  struct item_head {
    std::uint8_t major;
    std::uint64_t value;
  };
  result<item_head> head();
  result<item_head> head_of(std::uint8_t major, const char* what);
  result<bytes_view> take(std::uint64_t n);

  bytes_view in_;
  std::size_t pos_ = 0;
};

}  // namespace coldtrace::codec::cbor
