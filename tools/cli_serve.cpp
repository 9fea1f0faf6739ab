// coldtrace serve: the ledger, the keys and the API (and the pages, when built) on HTTP/1.1.
#include "codec/url.hpp"
#include "server/api/api.hpp"
#include "server/serve.hpp"
#include "storage/checkpoints.hpp"
#include "storage/postgres_ledger.hpp"
#include "storage/published_keys.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tools/cli.hpp"
#include "tools/cli_ledger.hpp"
#include "tools/serve_push.hpp"

#if __has_include("server/pages/pages.hpp")
#include "server/pages/pages.hpp"
#define COLDTRACE_HAVE_PAGES 1
#endif

#include <boost/url/parse.hpp>

#include <condition_variable>
#include <mutex>

#include <filesystem>
#include <iostream>
#include <thread>

namespace coldtrace::cli {
namespace {

struct serve_cli {
  std::string db, keys, listen = "127.0.0.1:8080", public_url, tls_cert, tls_key, metrics_listen;
  std::size_t max_connections = 0, max_per_client = 0;
  std::vector<std::string> extra_hosts;  // code URLs under these hosts are ours too
  unsigned threads = 0;
  unsigned blocking_threads = 64;
  std::size_t max_batch = 512;
  unsigned checkpoint_interval = 600;  // seconds; 0: only `coldtrace audit checkpoint` signs
  bool allow_http_public_url = false;  // local testing only: codes still say https://
  serve_push_cli push;                 // --push-to...: the pusher in the server
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "coldtrace: " << message << "\n";
  throw cli_exit{2};
}

// --public-url https://HOST[:PORT]: the host printed in code URLs (https://HOST/c/<digits>).
// Codes always say https (code-format.md), so an http:// public URL would print codes that
// point at a server which is not there: refused unless the operator asks for it explicitly.
std::string public_host(const std::string& text, bool allow_http) {
  auto u = boost::urls::parse_absolute_uri(text);
  if (!u || (u->scheme() != "https" && u->scheme() != "http") || u->host().empty() ||
      u->has_query() || u->has_fragment() || (!u->path().empty() && u->path() != "/"))
    usage_error("--public-url must look like https://trace.example.gov.cn (got " + text + ")");
  if (u->scheme() == "http" && !allow_http)
    usage_error("--public-url " + text +
                " is not https: every code URL says https://, so codes printed by this "
                "instance could not be opened. Give the https address phones will reach "
                "(for a local test only, add --allow-http-public-url)");
  std::string host = u->host();
  if (u->has_port()) host += ":" + std::string(u->port());
  // The same check codes' URLs get, so that no handler meets a host it cannot print.
  if (auto ok = codec::make_code_url(host, bytes{}); !ok) usage_error(ok.error().message);
  if (u->scheme() == "http")
    std::cerr << "coldtrace: WARNING: --allow-http-public-url: codes issued by this instance say "
                 "https://"
              << host
              << "/c/… although --public-url is http. For local testing only; never print "
                 "these codes.\n";
  return host;
}

// Signs the audit chain's head every `interval` with the signing key in force, so that the
// latest checkpoint at /api/v1/audit/checkpoint is never older than that (docs/audit.md).
// An unmoved head writes nothing. Stops when the jthread is destroyed.
std::jthread sign_checkpoints(std::filesystem::path db, const server::key_ring& ring,
                              std::chrono::seconds interval) {
  return std::jthread([db = std::move(db), &ring, interval](std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    while (true) {
      cv.wait_for(lock, stop, interval, [] { return false; });
      if (stop.stop_requested()) return;
      auto c = storage::sign_checkpoint(
          db, *ring.current()->signing,
          std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
      if (!c) std::cerr << "coldtrace: signing a checkpoint failed: " << c.error().message << "\n";
    }
  });
}

int serve(const serve_cli& o) {
  namespace fs = std::filesystem;
  const bool postgres = storage::is_postgres(o.db);
  if (!postgres && !fs::exists(o.db))
    usage_error("no database at " + o.db + " (create one with: coldtrace db init)");
  const std::string host = public_host(o.public_url, o.allow_http_public_url);
  for (const auto& h : o.extra_hosts)
    if (auto ok = codec::make_code_url(h, bytes{}); !ok)
      usage_error("--extra-host " + h + ": " + ok.error().message);
  if (o.tls_cert.empty() != o.tls_key.empty()) usage_error("--tls-cert and --tls-key go together");
  if (o.max_batch == 0) usage_error("--max-batch must be at least 1");

  auto keys = server::load_key_directory(o.keys);
  if (!keys) usage_error(keys.error().message);
  // Whatever jwks.json says, the key that signs now is published. (A reload is stricter: it
  // refuses a signing key the file does not list.)
  keys->published.add(keys->signing->public_part());

  auto ledger = [&] {
    if (postgres) return storage::open_postgres_ledger({o.db, keys->signing, o.max_batch});
    storage::sqlite_options so;
    so.file = o.db;
    so.signing_key = keys->signing;
    so.max_batch = o.max_batch;
    return storage::sqlite_ledger::open(so);
  }();
  if (!ledger) {
    std::cerr << "coldtrace: " << ledger.error().message << "\n";
    return 1;
  }
  if (postgres) {
    // Servers sharing a database sign with keys every one of them publishes: the database
    // keeps the cluster's set (storage/published_keys.hpp, docs/deploy.md).
    auto cluster = storage::published_keys(o.db);
    if (cluster && cluster->keys().empty())
      cluster = storage::publish_keys(o.db, keys->published, now());
    if (!cluster) {
      std::cerr << "coldtrace: " << cluster.error().message << "\n";
      (*ledger)->close();
      return 1;
    }
    if (!cluster->find(keys->signing->kid())) {
      std::string kids;
      for (const auto& k : cluster->keys())
        kids += (kids.empty() ? "" : ", ") + codec::kid_text(k.kid);
      (*ledger)->close();
      usage_error("the signing key in " + o.keys + " (kid " +
                  codec::kid_text(keys->signing->kid()) +
                  ") is not one the servers of this database publish (kids " + kids +
                  "): other servers' JWKS would call its codes forged. Give this server the "
                  "cluster's key directory, or publish the new key first with: coldtrace db "
                  "publish-keys --db URI --keys " +
                  o.keys + " (docs/deploy.md)");
    }
    for (const auto& k : cluster->keys()) keys->published.add(k);
  }
  server::key_ring ring(std::move(*keys), o.keys,
                        [&l = **ledger](std::shared_ptr<const codec::signing_key> k) {
                          l.set_signing_key(std::move(k));
                        });
  const server::app app{**ledger, ring, host, o.extra_hosts};
  serve_pusher pusher{o.push, o.db, **ledger};

  server::serve_options options;
  options.listen = o.listen;
  options.threads = o.threads;
  options.blocking_threads = o.blocking_threads;
  options.tls_cert = o.tls_cert;
  options.tls_key = o.tls_key;
  options.max_connections = o.max_connections;
  options.max_connections_per_client = o.max_per_client;
  options.metrics_listen = o.metrics_listen;
  if (o.metrics_listen.empty()) options.metrics_access = server::admin_only(app);
  options.on_hangup = [&ring]() -> result<std::string> {
    auto k = ring.reload();
    if (!k) return k.error();
    return "keys reloaded: signing kid " + codec::kid_text((*k)->signing->kid()) + ", " +
           std::to_string((*k)->published.keys().size()) + " published";
  };
  options.install = [&app, &pusher](server::router& r, server::metrics_registry& m) {
    server::install_api(r, m, app);
    pusher.install_metrics(m);
#ifdef COLDTRACE_HAVE_PAGES
    server::install_pages(r, m, app);
#endif
  };
  std::jthread checkpoints;
  if (o.checkpoint_interval > 0)
    checkpoints = sign_checkpoints(o.db, ring, std::chrono::seconds(o.checkpoint_interval));
  pusher.start();
  const int status = server::serve(options);
  checkpoints = {};  // stops and joins
  pusher.stop();
  // Every acknowledged write is already durable; close() commits what is still queued.
  (*ledger)->close();
  return status;
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto o = std::make_shared<serve_cli>();
  auto* cmd = app.add_subcommand("serve", "Serve the API (and the pages) over HTTP/1.1");
  cmd->add_option("--db", o->db,
                  "Database file, or a postgresql:// URI that several servers share"
                  " (coldtrace db init)")
      ->required();
  cmd->add_option("--keys", o->keys, "Key directory holding signing-key.pem and jwks.json")
      ->required();
  cmd->add_option("--listen", o->listen, "Address to listen on, host:port")->capture_default_str();
  cmd->add_option(
         "--public-url", o->public_url,
         "Public base URL, e.g. https://trace.example.gov.cn; its host goes into code URLs")
      ->required();
  cmd->add_flag("--allow-http-public-url", o->allow_http_public_url,
                "Accept an http:// --public-url (local testing only: codes still say https://, "
                "so they cannot be opened; never print them)");
  cmd->add_option("--extra-host", o->extra_hosts,
                  "Another host whose code URLs are genuine (e.g. the old one after a domain "
                  "move); repeatable. Code URLs under any other host verify as forged");
  cmd->add_option("--checkpoint-interval", o->checkpoint_interval,
                  "Seconds between signed checkpoints of the audit chain's head (0: none; "
                  "an unmoved head is not signed again)")
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "I/O threads (default: one per core)");
  cmd->add_option("--blocking-threads", o->blocking_threads,
                  "Threads for the requests that wait on a thread for their durable commit or a "
                  "long read (dispatch, receipt and sale checks wait on none)")
      ->capture_default_str();
  cmd->add_option("--max-batch", o->max_batch,
                  "Operations per group commit at most (1: one commit per operation, a baseline)")
      ->capture_default_str();
  cmd->add_option("--tls-cert", o->tls_cert, "PEM certificate chain: serve HTTPS");
  cmd->add_option("--tls-key", o->tls_key, "PEM private key for --tls-cert");
  cmd->add_option("--max-connections", o->max_connections,
                  "Connections held at once; more are closed unread (default: from the "
                  "open-file limit, which serve raises to its hard maximum)");
  cmd->add_option("--max-connections-per-client", o->max_per_client,
                  "Connections held at once from one client address (default: a quarter of "
                  "--max-connections, at most 512; raise it behind a proxy)");
  cmd->add_option("--metrics-listen", o->metrics_listen,
                  "Serve /metrics (and /healthz) on this host:port only, without a token; "
                  "without it, /metrics on --listen needs an admin's bearer token");
  add_serve_push_options(*cmd, o->push);
  cmd->callback([o] {
    if (const int status = serve(*o); status != 0) throw cli_exit{status};
  });
}

}  // namespace coldtrace::cli
