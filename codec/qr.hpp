// QR symbols (libqrencode, ECC M, automatic segmentation, smallest version) and their
// rendering as SVG or PNG labels with a 4-module quiet zone.
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

namespace coldtrace::codec {

struct qr_symbol {
  int version = 0;
  int width = 0;           // modules per side, without the quiet zone
  std::vector<bool> dark;  // row-major, width * width
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)]; }
};

inline constexpr int quiet_zone = 4;

result<qr_symbol> encode_qr(std::string_view text);
std::string render_svg(const qr_symbol& qr, int module_px);
result<bytes> render_png(const qr_symbol& qr, int module_px);

}  // namespace coldtrace::codec
