#include "codec/bytes.hpp"

#include <array>

namespace coldtrace {
namespace {

constexpr std::string_view hex_digits = "0123456789abcdef";
constexpr std::string_view b64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int b64url_value(char c) {
  auto pos = b64url_alphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string to_hex(bytes_view b) {
  std::string out;
  out.reserve(b.size() * 2);
  for (auto v : b) {
    out.push_back(hex_digits[v >> 4]);
    out.push_back(hex_digits[v & 0xf]);
  }
  return out;
}

bool from_hex(std::string_view hex, bytes& out) {
  out.clear();
  if (hex.size() % 2 != 0) return false;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return true;
}

std::string base64url_encode(bytes_view b) {
  std::string out;
  out.reserve((b.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    std::uint32_t v = std::uint32_t{b[i]} << 16 | std::uint32_t{b[i + 1]} << 8 | b[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(b64url_alphabet[(v >> shift) & 63]);
  }
  if (std::size_t rest = b.size() - i; rest > 0) {
    std::uint32_t v = std::uint32_t{b[i]} << 16 | (rest == 2 ? std::uint32_t{b[i + 1]} << 8 : 0);
    out.push_back(b64url_alphabet[(v >> 18) & 63]);
    out.push_back(b64url_alphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(b64url_alphabet[(v >> 6) & 63]);
  }
  return out;
}

bool base64url_decode(std::string_view s, bytes& out) {
  out.clear();
  if (s.size() % 4 == 1) return false;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = b64url_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  // Unused trailing bits must be zero, so each byte string has exactly one encoding.
  return (acc & ((1u << bits) - 1)) == 0;
}

}  // namespace coldtrace
