#include "server/print/labels.hpp"

#include "codec/qr.hpp"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <memory>
#include <vector>

namespace coldtrace::server::print {
namespace {

constexpr double pt_per_mm = 72.0 / 25.4;
constexpr double label_w = 70.0, label_h = 37.0;    // mm, the single label
constexpr double sheet_w = 210.0, sheet_h = 297.0;  // A4
constexpr int sheet_cols = 3, sheet_rows = 8;
constexpr double qr_side = 29.0;  // mm, quiet zone included: 0.51 mm modules at version 8

struct cairo_deleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  void operator()(PangoLayout* l) const { g_object_unref(l); }
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
template <class T>
using owned = std::unique_ptr<T, cairo_deleter>;

// Text in a box `width` mm wide at (x, y) mm; returns its height in mm.
double text(cairo_t* cr, double x, double y, double width, const std::string& s, const char* font,
            int max_lines = 1, bool centred = false) {
  owned<PangoLayout> layout{pango_cairo_create_layout(cr)};
  // 72 "dpi" on a context in mm: a font of size N is N mm high (about 2.83 N points).
  pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72.0);
  pango_layout_context_changed(layout.get());
  owned<PangoFontDescription> desc{pango_font_description_from_string(font)};
  pango_layout_set_font_description(layout.get(), desc.get());
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  pango_layout_set_height(layout.get(), -max_lines);
  if (centred) pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
  pango_layout_set_text(layout.get(), s.c_str(), static_cast<int>(s.size()));
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout.get());
  int w = 0, h = 0;
  pango_layout_get_size(layout.get(), &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

// One label with its top-left corner at the current origin, in mm. With dots_per_mm > 0 the
// QR modules are a whole number of printer dots (a thermal head cannot print half a dot).
void draw_label(cairo_t* cr, const label& l, const codec::qr_symbol& qr, int dots_per_mm) {
  const int modules = qr.width + 2 * codec::quiet_zone;
  double module = qr_side / modules;
  if (dots_per_mm > 0) module = std::floor(module * dots_per_mm) / dots_per_mm;
  const double x0 = 1.0 + (qr_side - module * modules) / 2, y0 = 1.0;
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int y = 0; y < qr.width; ++y)
    for (int x = 0; x < qr.width; ++x)
      if (qr.at(x, y))
        cairo_rectangle(cr, x0 + (x + codec::quiet_zone) * module,
                        y0 + (y + codec::quiet_zone) * module, module, module);
  cairo_fill(cr);
  text(cr, 1.0, y0 + qr_side - 0.6, qr_side, l.number, "Noto Sans Mono CJK SC Bold 2.7", 1, true);

  const double x = 31.5, w = label_w - x - 1.5;
  double y = 2.0;
  y += text(cr, x, y, w, l.product, "Noto Sans CJK SC Bold 3.6", 2) + 0.8;
  y += text(cr, x, y, w, "净重 " + l.quantity, "Noto Sans CJK SC 2.7") + 0.3;
  y += text(cr, x, y, w, l.category + " · " + l.origin, "Noto Sans CJK SC 2.7") + 0.3;
  text(cr, x, y, w, "批次 " + std::to_string(l.lot) + " · 码 " + std::to_string(l.code),
       "Noto Sans CJK SC 2.4");
  text(cr, x, label_h - 6.0, w, "扫码查验 · 无码禁售", "Noto Sans CJK SC Bold 2.6");
}

result<std::vector<codec::qr_symbol>> symbols(std::span<const label> labels) {
  if (labels.empty()) return codec::fail(codec::errc::bad_value, "no labels to print");
  if (labels.size() > max_labels_per_request)
    return codec::fail(codec::errc::bad_value,
                       "at most " + std::to_string(max_labels_per_request) +
                           " labels per request; print the rest in another");
  std::vector<codec::qr_symbol> out;
  for (const auto& l : labels) {
    auto qr = codec::encode_qr(l.url);
    if (!qr) return qr.error();
    out.push_back(std::move(*qr));
  }
  return out;
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

result<std::string> render_pdf(std::span<const label> labels, layout l) {
  auto qrs = symbols(labels);
  if (!qrs) return qrs.error();
  const bool sheet = l == layout::a4_sheet;
  const double page_w = sheet ? sheet_w : label_w, page_h = sheet ? sheet_h : label_h;
  std::string pdf;
  owned<cairo_surface_t> surface{
      cairo_pdf_surface_create_for_stream(append, &pdf, page_w * pt_per_mm, page_h * pt_per_mm)};
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, "coldtrace labels");
  owned<cairo_t> cr{cairo_create(surface.get())};
  cairo_scale(cr.get(), pt_per_mm, pt_per_mm);
  const std::size_t per_page = sheet ? sheet_cols * sheet_rows : 1;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0 && i % per_page == 0) cairo_show_page(cr.get());
    const auto slot = i % per_page;
    cairo_save(cr.get());
    if (sheet)
      cairo_translate(cr.get(), static_cast<double>(slot % sheet_cols) * label_w,
                      static_cast<double>(slot / sheet_cols) * (sheet_h / sheet_rows));
    draw_label(cr.get(), labels[i], (*qrs)[i], 0);
    cairo_restore(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return codec::fail(codec::errc::io_failure, "the labels' PDF could not be written");
  return pdf;
}

result<std::string> render_zpl(std::span<const label> labels, int dots_per_mm) {
  if (dots_per_mm < 6 || dots_per_mm > 24)
    return codec::fail(codec::errc::bad_value, "dots per mm must be 6 to 24 (203 dpi is 8)");
  auto qrs = symbols(labels);
  if (!qrs) return qrs.error();
  const int w = static_cast<int>(label_w * dots_per_mm),
            h = static_cast<int>(label_h * dots_per_mm);
  const int row_bytes = (w + 7) / 8;
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string zpl;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    owned<cairo_surface_t> image{cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h)};
    owned<cairo_t> cr{cairo_create(image.get())};
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_NONE);
    cairo_scale(cr.get(), dots_per_mm, dots_per_mm);
    draw_label(cr.get(), labels[i], (*qrs)[i], dots_per_mm);
    cr.reset();
    cairo_surface_flush(image.get());
    const auto* px = cairo_image_surface_get_data(image.get());
    const int stride = cairo_image_surface_get_stride(image.get());
    std::string data;
    data.reserve(static_cast<std::size_t>(row_bytes * h * 2));
    for (int y = 0; y < h; ++y) {
      for (int bx = 0; bx < row_bytes; ++bx) {
        unsigned byte = 0;
        for (int bit = 0; bit < 8; ++bit) {
          const int x = bx * 8 + bit;
          if (x >= w) continue;
          const auto* p = px + y * stride + x * 4;                 // B, G, R, X on little-endian
          if (p[0] + p[1] + p[2] < 3 * 128) byte |= 0x80u >> bit;  // dark: a printed dot
        }
        data += hex[byte >> 4];
        data += hex[byte & 15];
      }
    }
    const auto total = std::to_string(row_bytes * h);
    zpl += "^XA^CI28^PW" + std::to_string(w) + "^LL" + std::to_string(h) + "^FO0,0^GFA," + total +
           "," + total + "," + std::to_string(row_bytes) + "," + data + "^FS^XZ\n";
  }
  return zpl;
}

}  // namespace coldtrace::server::print
