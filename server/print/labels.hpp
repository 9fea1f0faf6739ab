// Print-ready labels for cold floors and counters: a PDF (cairo + pango, the product name in
// Chinese with Noto CJK) either as A4 sheets of 24 labels (3 × 8, 70 × 37 mm, the common
// self-adhesive sheet) or one 70 × 37 mm label per page for a label printer; and ZPL for
// thermal printers, the same drawing as a ^GFA bitmap at the printer's resolution (so Chinese
// needs no font on the printer). The QR symbol is the code's URL at ECC M with its quiet zone,
// its module at least 0.5 mm, and the code's number under it for a hand check.
#pragma once

#include "codec/error.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace coldtrace::server::print {

// What one label shows: only the code's public facts.
struct label {
  std::string url;       // the code's URL, as in its QR symbol
  std::string number;    // the printed number ("0000 1748 2163")
  std::string product;   // 三文鱼
  std::string category;  // 进口水果
  std::string origin;    // 智利
  std::string quantity;  // "12.5 kg"
  std::uint64_t code = 0;
  std::uint64_t lot = 0;
};

enum class layout {
  a4_sheet,  // 24 labels per A4 page, 3 columns × 8 rows of 70 × 37.125 mm
  single,    // one 70 × 37 mm page per label
};

inline constexpr std::size_t max_labels_per_request = 480;  // 20 A4 sheets

// bad_value when there are no labels or more than max_labels_per_request.
result<std::string> render_pdf(std::span<const label> labels, layout l);

// One ^XA…^XZ format per label, 70 × 37 mm at `dots_per_mm` (8 = 203 dpi, 12 = 300 dpi).
result<std::string> render_zpl(std::span<const label> labels, int dots_per_mm = 8);

}  // namespace coldtrace::server::print
