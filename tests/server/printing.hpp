// Lets Catch2 print a result<T> in a failed assertion: its message when it holds an error.
#pragma once

#include "codec/error.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace Catch {
template <class T>
struct StringMaker<boost::system::result<T, coldtrace::error>> {
  static std::string convert(const boost::system::result<T, coldtrace::error>& r) {
    return r ? std::string("ok") : "error: " + r.error().message;
  }
};
}  // namespace Catch
