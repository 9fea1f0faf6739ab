// Shared by the tests: Catch2 with readable results, hex literals and a temporary directory.
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>

namespace Catch {
// Shows a failed result's message in assertion output (Boost's own operator<< needs T to print).
template <class T>
struct StringMaker<boost::system::result<T, coldtrace::error>> {
  static std::string convert(const boost::system::result<T, coldtrace::error>& r) {
    return r ? std::string("ok") : "error: " + r.error().message;
  }
};
}  // namespace Catch

namespace coldtrace::test {

inline bytes hex(std::string_view h) {
  bytes out;
  REQUIRE(from_hex(h, out));
  return out;
}

// A fresh directory under /tmp, removed with everything in it.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    char tmpl[] = "/tmp/coldtrace-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

}  // namespace coldtrace::test
