// coldtrace keygen: the signing key (0600) and the published key set.
#include "codec/keys.hpp"
#include "tools/cli.hpp"

#include <sys/stat.h>

#include <iostream>

namespace coldtrace::cli {
namespace {

struct keygen_options {
  std::string dir;
  bool rotate = false;
};

void keygen(const keygen_options& o) {
  namespace fs = std::filesystem;
  const fs::path dir(o.dir), key_file = dir / "signing-key.pem", jwks_file = dir / "jwks.json";
  fs::create_directories(dir);
  ::chmod(dir.c_str(), 0700);
  if (fs::exists(key_file) && !o.rotate) {
    std::cerr << "coldtrace: " << key_file.string()
              << " already exists; use --rotate to replace it (old public keys stay published)\n";
    throw cli_exit{1};
  }
  codec::key_set published;
  if (fs::exists(jwks_file)) published = codec::key_set::load(jwks_file).value();
  auto key = codec::signing_key::generate().value();
  // The new key is published before it can sign anything, and the old public keys stay, so
  // every code ever issued still verifies.
  published.add(key.public_part());
  published.save(jwks_file).value();
  const fs::path next = dir / "signing-key.pem.next";
  fs::remove(next);
  key.save_pem(next).value();
  fs::rename(next, key_file);
  std::cout << "kid " << codec::kid_text(key.kid()) << "\n"
            << "signing key: " << key_file.string() << " (mode 0600)\n"
            << "public keys: " << jwks_file.string() << " (" << published.keys().size()
            << (published.keys().size() == 1 ? " key" : " keys") << ")\n";
}

}  // namespace

void add_key_commands(CLI::App& app) {
  auto opts = std::make_shared<keygen_options>();
  auto* cmd = app.add_subcommand("keygen", "Generate an Ed25519 signing key and publish it");
  cmd->add_option("--dir", opts->dir, "Key directory (signing-key.pem, jwks.json)")->required();
  cmd->add_flag("--rotate", opts->rotate,
                "Replace an existing signing key; its public key stays in jwks.json");
  cmd->callback([opts] { keygen(*opts); });
}

}  // namespace coldtrace::cli
