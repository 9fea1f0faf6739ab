#include "codec/qr.hpp"

#include <png.h>
#include <qrencode.h>

#include <array>
#include <cerrno>
#include <csetjmp>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

namespace coldtrace::codec {
namespace {

constexpr int max_module_px = 64;

struct free_qrcode {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

bool well_formed(const qr_symbol& qr) {
  return qr.width > 0 && qr.dark.size() == static_cast<std::size_t>(qr.width) * qr.width;
}

}  // namespace

result<qr_symbol> encode_qr(std::string_view text) {
  if (text.empty()) return fail(errc::bad_value, "cannot make a QR symbol of empty text");
  if (text.find('\0') != std::string_view::npos)
    return fail(errc::bad_value, "text for a QR symbol must not contain a NUL character");

  // QR_MODE_8 as the hint lets libqrencode split the text into segments, so a code URL's
  // digits go in numeric mode (3.33 bits each) while the scheme and host go in byte mode.
  const std::string c_text(text);
  errno = 0;
  std::unique_ptr<QRcode, free_qrcode> code(
      QRcode_encodeString(c_text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    if (errno == ERANGE)
      return fail(errc::too_large, "text of " + std::to_string(text.size()) +
                                       " characters does not fit in any QR version at ECC M");
    return fail(errc::qr_failure,
                std::string("libqrencode could not encode the text: ") + std::strerror(errno));
  }

  qr_symbol qr;
  qr.version = code->version;
  qr.width = code->width;
  qr.dark.resize(static_cast<std::size_t>(qr.width) * qr.width);
  // Bit 0 of each libqrencode byte is the module's colour; the other bits describe its role.
  for (std::size_t i = 0; i < qr.dark.size(); ++i) qr.dark[i] = (code->data[i] & 1) != 0;
  return qr;
}

std::string render_svg(const qr_symbol& qr, int module_px) {
  // Only a bug reaches here with these: the CLI and the server check what a user typed.
  if (module_px < 1 || module_px > max_module_px)
    throw std::invalid_argument("render_svg: module size " + std::to_string(module_px) +
                                " px is outside 1.." + std::to_string(max_module_px));
  if (!well_formed(qr)) throw std::invalid_argument("render_svg: malformed qr_symbol");

  const int side = qr.width + 2 * quiet_zone;
  const std::string px = std::to_string(side * module_px);
  const std::string modules = std::to_string(side);
  std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" + px + R"(" height=")" +
                    px + R"(" viewBox="0 0 )" + modules + " " + modules +
                    R"(" shape-rendering="crispEdges">)" + "\n";
  svg += R"(<rect width="100%" height="100%" fill="#fff"/>)"
         "\n";
  svg += R"(<path fill="#000" d=")";
  // One rectangle per horizontal run of dark modules keeps the path a few kilobytes.
  for (int y = 0; y < qr.width; ++y) {
    for (int x = 0; x < qr.width;) {
      if (!qr.at(x, y)) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < qr.width && qr.at(x, y)) ++x;
      svg += 'M' + std::to_string(start + quiet_zone) + ' ' + std::to_string(y + quiet_zone) + 'h' +
             std::to_string(x - start) + "v1h-" + std::to_string(x - start) + 'z';
    }
  }
  svg += "\"/>\n</svg>\n";
  return svg;
}

namespace {

// What libpng's callbacks share with us. Plain data only: libpng reports errors by longjmp.
struct png_context {
  bytes* out = nullptr;
  bool out_of_memory = false;
  std::array<char, 160> message{};
};

void on_png_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<png_context*>(png_get_error_ptr(png));
  std::strncpy(ctx->message.data(), msg, ctx->message.size() - 1);
  png_longjmp(png, 1);
}

void on_png_warning(png_structp, png_const_charp) {}

void on_png_write(png_structp png, png_bytep data, png_size_t size) {
  auto* ctx = static_cast<png_context*>(png_get_io_ptr(png));
  try {
    ctx->out->insert(ctx->out->end(), data, data + size);
  } catch (const std::bad_alloc&) {
    ctx->out_of_memory = true;
  }
  // Outside the handler: a longjmp must not skip the exception object's destruction.
  if (ctx->out_of_memory) png_error(png, "out of memory");
}

void on_png_flush(png_structp) {}

struct png_write_handle {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~png_write_handle() { png_destroy_write_struct(&png, &info); }
};

// Every libpng call lives here, after setjmp, with only trivially destructible locals, so the
// longjmp of a libpng error skips no destructor. `row` is scratch space of (side+7)/8 bytes.
bool write_png(png_structp png, png_infop info, png_context& ctx, const qr_symbol& qr,
               int module_px, png_bytep row) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, &ctx, on_png_write, on_png_flush);
  const int side = (qr.width + 2 * quiet_zone) * module_px;
  const auto row_bytes = static_cast<std::size_t>((side + 7) / 8);
  png_set_IHDR(png, info, static_cast<png_uint_32>(side), static_cast<png_uint_32>(side), 1,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < side; ++y) {
    const int my = y / module_px - quiet_zone;
    if (y % module_px == 0) {
      // 1-bit grayscale: a set bit is white, most significant bit first.
      std::memset(row, 0xff, row_bytes);
      if (my >= 0 && my < qr.width) {
        for (int x = 0; x < side; ++x) {
          const int mx = x / module_px - quiet_zone;
          if (mx >= 0 && mx < qr.width && qr.at(mx, my))
            row[x / 8] = static_cast<png_byte>(row[x / 8] & ~(0x80 >> (x % 8)));
        }
      }
    }
    png_write_row(png, row);
  }
  png_write_end(png, nullptr);
  return true;
}

}  // namespace

result<bytes> render_png(const qr_symbol& qr, int module_px) {
  if (module_px < 1 || module_px > max_module_px)
    return fail(errc::bad_value, "module size must be 1 to " + std::to_string(max_module_px) +
                                     " pixels; got " + std::to_string(module_px));
  if (!well_formed(qr)) return fail(errc::bad_value, "the QR symbol to render is malformed");

  const int side = (qr.width + 2 * quiet_zone) * module_px;
  std::vector<png_byte> row(static_cast<std::size_t>((side + 7) / 8));
  bytes out;
  png_context ctx;
  ctx.out = &out;

  png_write_handle handle;
  handle.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
  if (handle.png) handle.info = png_create_info_struct(handle.png);
  if (!handle.png || !handle.info)
    return fail(errc::qr_failure, "libpng could not start writing a PNG (out of memory)");
  if (!write_png(handle.png, handle.info, ctx, qr, module_px, row.data()))
    return fail(errc::qr_failure, std::string("libpng could not write the label: ") +
                                      (ctx.message[0] ? ctx.message.data() : "unknown error"));
  return out;
}

}  // namespace coldtrace::codec
