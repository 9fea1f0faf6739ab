#include "codec/keys.hpp"

#include "codec/openssl_error.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <boost/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace coldtrace::codec {
namespace {

struct free_bio {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct free_md_ctx {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using bio_ptr = std::unique_ptr<BIO, free_bio>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, free_md_ctx>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, free_pkey>;

result<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(errc::io_failure, "cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes via a temporary file, fsync and rename, so a crash never leaves half a file.
result<void> write_file(const std::filesystem::path& file, std::string_view data, mode_t mode,
                        bool exclusive) {
  if (exclusive && std::filesystem::exists(file))
    return fail(errc::io_failure, file.string() + " already exists; not overwriting it");
  const auto tmp = file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return fail(errc::io_failure, "cannot create " + tmp);
  ::fchmod(fd, mode);  // the umask must not widen or narrow what we ask for
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
            ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return fail(errc::io_failure, "cannot write " + file.string());
  }
  return {};
}

result<public_key> public_of(EVP_PKEY* key) {
  public_key pub;
  std::size_t len = pub.x.size();
  if (EVP_PKEY_get_raw_public_key(key, pub.x.data(), &len) != 1 || len != pub.x.size())
    return openssl_failure("cannot read the Ed25519 public key");
  pub.kid = kid_of(pub.x);
  return pub;
}

}  // namespace

error openssl_failure(std::string what) {
  bool first = true;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    what += first ? ": " : "; ";
    what += buf;
    first = false;
  }
  return fail(errc::crypto_failure, std::move(what));
}

void free_pkey::operator()(evp_pkey_st* p) const noexcept {
  EVP_PKEY_free(p);
}

kid_t kid_of(std::span<const std::uint8_t, 32> raw_public) {
  std::uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(raw_public.data(), raw_public.size(), digest);
  return {digest[0], digest[1], digest[2], digest[3]};
}

std::string kid_text(const kid_t& kid) {
  return base64url_encode(kid);
}

signing_key::signing_key(evp_pkey_st* key) : key_(key) {}

result<signing_key> signing_key::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!key) return openssl_failure("cannot generate an Ed25519 key");
  signing_key out(key);
  auto pub = public_of(key);
  if (!pub) return pub.error();
  out.public_ = *pub;
  return out;
}

result<signing_key> signing_key::from_seed(bytes_view seed32) {
  if (seed32.size() != 32)
    return fail(errc::bad_key,
                "an Ed25519 private key is 32 bytes, not " + std::to_string(seed32.size()));
  EVP_PKEY* key =
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed32.data(), seed32.size());
  if (!key) return openssl_failure("cannot load the Ed25519 private key");
  signing_key out(key);
  auto pub = public_of(key);
  if (!pub) return pub.error();
  out.public_ = *pub;
  return out;
}

result<signing_key> signing_key::load_pem(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    return fail(errc::io_failure, "signing key " + file.string() + " does not exist");
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    return fail(errc::bad_key, "signing key " + file.string() +
                                   " is readable by other users; run: chmod 600 " + file.string());
  auto text = read_file(file);
  if (!text) return text.error();
  bio_ptr bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!key) return openssl_failure("cannot read a private key from " + file.string());
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return fail(errc::bad_key, file.string() + " holds a key that is not Ed25519");
  }
  signing_key out(key);
  auto pub = public_of(key);
  if (!pub) return pub.error();
  out.public_ = *pub;
  return out;
}

result<void> signing_key::save_pem(const std::filesystem::path& file) const {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return openssl_failure("cannot encode the private key");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return write_file(file, std::string_view(data, static_cast<std::size_t>(len)), 0600, true);
}

result<signature_t> signing_key::sign(bytes_view message) const {
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  signature_t sig{};
  std::size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1 ||
      len != sig.size())
    return openssl_failure("cannot sign");
  return sig;
}

result<void> verify_signature(const public_key& key, bytes_view message, bytes_view signature) {
  if (signature.size() != 64) return fail(errc::bad_signature, "an Ed25519 signature is 64 bytes");
  pkey_ptr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.x.data(), key.x.size()));
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!pkey || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1)
    return openssl_failure("cannot prepare signature verification");
  int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                            message.size());
  ERR_clear_error();  // a bad signature queues a reason we do not need
  if (rc != 1) return fail(errc::bad_signature, "the signature does not match: forged or altered");
  return {};
}

void key_set::add(const public_key& key) {
  for (auto& k : keys_)
    if (k.kid == key.kid) {
      k = key;
      return;
    }
  keys_.push_back(key);
}

const public_key* key_set::find(const kid_t& kid) const {
  for (const auto& k : keys_)
    if (k.kid == kid) return &k;
  return nullptr;
}

std::string key_set::to_jwks() const {
  boost::json::array keys;
  for (const auto& k : keys_)
    keys.push_back({{"kty", "OKP"},
                    {"crv", "Ed25519"},
                    {"alg", "EdDSA"},
                    {"use", "sig"},
                    {"kid", kid_text(k.kid)},
                    {"x", base64url_encode(k.x)}});
  return boost::json::serialize(boost::json::object{{"keys", std::move(keys)}});
}

result<key_set> key_set::from_jwks(std::string_view json) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(json, ec);
  if (ec) return fail(errc::bad_key, "the key set is not valid JSON: " + ec.message());
  const auto* root = doc.if_object();
  const auto* keys = root && root->contains("keys") ? root->at("keys").if_array() : nullptr;
  if (!keys) return fail(errc::bad_key, "the key set has no \"keys\" array");
  key_set out;
  std::size_t index = 0;
  for (const auto& v : *keys) {
    const std::string where = "key " + std::to_string(index++) + " of the key set";
    const auto* k = v.if_object();
    auto text = [&](const char* name) -> std::string_view {
      const auto* s = k && k->contains(name) ? k->at(name).if_string() : nullptr;
      return s ? std::string_view(*s) : std::string_view();
    };
    if (text("kty") != "OKP" || text("crv") != "Ed25519")
      return fail(errc::bad_key, where + " is not an Ed25519 key (kty OKP, crv Ed25519)");
    bytes x, kid;
    if (!base64url_decode(text("x"), x) || x.size() != 32)
      return fail(errc::bad_key, where + " has no valid 32-byte \"x\"");
    if (!base64url_decode(text("kid"), kid) || kid.size() != 4)
      return fail(errc::bad_key, where + " has no valid 4-byte \"kid\"");
    public_key pub;
    std::copy(x.begin(), x.end(), pub.x.begin());
    pub.kid = kid_of(pub.x);
    if (!std::equal(kid.begin(), kid.end(), pub.kid.begin()))
      return fail(errc::bad_key, where + " has a kid that does not match its public key");
    out.add(pub);
  }
  return out;
}

result<key_set> key_set::load(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) return text.error();
  auto set = from_jwks(*text);
  if (!set) return fail(errc::bad_key, file.string() + ": " + set.error().message);
  return set;
}

result<void> key_set::save(const std::filesystem::path& file) const {
  return write_file(file, to_jwks() + "\n", 0644, false);
}

}  // namespace coldtrace::codec
