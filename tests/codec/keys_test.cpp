#include "codec/keys.hpp"

#include "tests/support.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

using namespace coldtrace;
using namespace coldtrace::codec;
using coldtrace::test::hex;
using coldtrace::test::temp_dir;
namespace fs = std::filesystem;

TEST_CASE("Ed25519 matches the RFC 8032 section 7.1 test vectors", "[codec]") {
  auto [secret, pub, message, signature] =
      GENERATE(table<std::string, std::string, std::string, std::string>({
          {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
           "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
           "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3"
           "9701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
          {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
           "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
           "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3"
           "613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
          {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
           "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
           "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f"
           "760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
      }));
  auto key = signing_key::from_seed(hex(secret));
  REQUIRE(key);
  CHECK(to_hex(key->public_part().x) == pub);
  auto sig = key->sign(hex(message));
  REQUIRE(sig);
  CHECK(to_hex(*sig) == signature);
  CHECK(verify_signature(key->public_part(), hex(message), *sig));

  bytes altered = hex(message);
  altered.push_back(0);
  auto bad = verify_signature(key->public_part(), altered, *sig);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == make_error_code(errc::bad_signature));
}

TEST_CASE("kid is the first 4 bytes of SHA-256 of the raw public key", "[codec]") {
  // SHA-256 of the RFC 8032 test 1 public key starts 21fe31df (checked with sha256sum).
  bytes pub = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  std::array<std::uint8_t, 32> raw{};
  std::copy(pub.begin(), pub.end(), raw.begin());
  CHECK(to_hex(kid_of(raw)) == "21fe31df");
}

TEST_CASE("signing keys are saved 0600 and refused when others can read them", "[codec]") {
  temp_dir dir;
  auto key = signing_key::generate();
  REQUIRE(key);
  const auto file = dir.path / "signing-key.pem";
  REQUIRE(key->save_pem(file));
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  SECTION("loads back to the same key") {
    auto loaded = signing_key::load_pem(file);
    REQUIRE(loaded);
    CHECK(loaded->public_part().x == key->public_part().x);
  }
  SECTION("never overwrites an existing key") {
    auto again = key->save_pem(file);
    REQUIRE_FALSE(again);
    CHECK_THAT(again.error().message, Catch::Contains("already exists"));
  }
  SECTION("a key readable by others is refused") {
    ::chmod(file.c_str(), 0644);
    auto loaded = signing_key::load_pem(file);
    REQUIRE_FALSE(loaded);
    CHECK_THAT(loaded.error().message, Catch::Contains("chmod 600"));
  }
  SECTION("a file that is not a key is refused with OpenSSL's reason") {
    std::ofstream(dir.path / "junk.pem") << "-----BEGIN PRIVATE KEY-----\nAAAA\n";
    ::chmod((dir.path / "junk.pem").c_str(), 0600);
    auto loaded = signing_key::load_pem(dir.path / "junk.pem");
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().code == make_error_code(errc::crypto_failure));
  }
}

TEST_CASE("JWKS round-trips and rejects keys that are not ours", "[codec]") {
  auto a = signing_key::generate();
  auto b = signing_key::generate();
  REQUIRE(a);
  REQUIRE(b);
  key_set set;
  set.add(a->public_part());
  set.add(b->public_part());
  set.add(a->public_part());  // same kid: replaced, not duplicated
  REQUIRE(set.keys().size() == 2);

  auto back = key_set::from_jwks(set.to_jwks());
  REQUIRE(back);
  REQUIRE(back->keys().size() == 2);
  CHECK(back->find(a->kid()) != nullptr);
  CHECK(back->find(b->kid())->x == b->public_part().x);

  auto [json, fragment] = GENERATE(table<std::string, std::string>({
      {"not json", "not valid JSON"},
      {"{}", "no \"keys\" array"},
      {R"({"keys":[{"kty":"EC","crv":"P-256"}]})", "not an Ed25519 key"},
      {R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"AAAAAA","x":"short"}]})", "32-byte"},
      {R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"AAAAAA","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]})",
       "does not match"},
  }));
  auto bad = key_set::from_jwks(json);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Contains(fragment));
}
