// The files of web/ (templates, styles, scripts, strings, and the QR decoder from npm),
// compiled into the binary by embed_assets.cmake.
#pragma once

#include <span>
#include <string_view>

namespace coldtrace::server::pages {

struct embedded_file {
  std::string_view name;  // the file name, lowercased: "verify.html", "jsqr.js"
  std::string_view data;
};

std::span<const embedded_file> embedded_files();

}  // namespace coldtrace::server::pages
