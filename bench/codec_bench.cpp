// Codec throughput: issuing (encode + Ed25519 sign) and offline verification (parse + Ed25519
// verify + decode) of a typical code, each against raw OpenSSL Ed25519 on the same message
// size measured in the same run, so the ratio shows what our layers cost over the signature.
// Usage: codec_bench [seconds per figure, default 1]
#include "codec/code.hpp"
#include "codec/digits.hpp"
#include "codec/url.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace coldtrace;
using clock_type = std::chrono::steady_clock;

namespace {

// Runs `op` repeatedly for about `seconds`; returns operations per second.
template <class Op>
double rate(double seconds, Op op) {
  std::size_t n = 0;
  const auto start = clock_type::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  auto now = start;
  do {
    for (int i = 0; i < 64; ++i) op();
    n += 64;
    now = clock_type::now();
  } while (now < until);
  return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  auto key = codec::signing_key::generate().value();
  codec::key_set keys;
  keys.add(key.public_part());
  codec::payload p{4000000123, 1000123, {1, 3}, 1, 2500000, 100234, 152, 20784};
  const bytes code = codec::issue_code(p, key).value();
  const std::string url = codec::make_code_url("trace.example.gov.cn", code).value();
  const auto msg = codec::cose_sign1_parse(code).value();
  const bytes tbs = codec::sig_structure(msg.protected_header, msg.payload);
  volatile std::size_t sink = 0;

  const double raw_sign = rate(seconds, [&] { sink = sink + key.sign(tbs)->at(0); });
  const double issue = rate(seconds, [&] { sink = sink + codec::issue_code(p, key)->size(); });
  const double raw_verify = rate(seconds, [&] {
    sink = sink + codec::verify_signature(key.public_part(), tbs, msg.signature).has_value();
  });
  const double verify = rate(seconds, [&] {
    sink = sink + codec::verify_code(codec::parse_code_url(url)->code, keys).has_value();
  });
  const double read = rate(seconds, [&] {
    sink = sink + codec::read_code(codec::parse_code_url(url)->code).has_value();
  });

  std::printf("code: %zu bytes, URL %zu characters\n", code.size(), url.size());
  std::printf("%-44s %12.0f /s\n", "raw Ed25519 sign (baseline)", raw_sign);
  std::printf("%-44s %12.0f /s  (%.2f x baseline)\n", "issue_code (encode + sign)", issue,
              issue / raw_sign);
  std::printf("%-44s %12.0f /s\n", "raw Ed25519 verify (baseline)", raw_verify);
  std::printf("%-44s %12.0f /s  (%.2f x baseline)\n", "URL -> digits -> COSE -> verify -> payload",
              verify, verify / raw_verify);
  std::printf("%-44s %12.0f /s  (%.1f x verify baseline)\n",
              "URL -> digits -> COSE -> payload (no sig)", read, read / raw_verify);
  return 0;
}
