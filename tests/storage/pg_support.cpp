#include "tests/storage/pg_support.hpp"

#include "storage/postgres/pg.hpp"

#include <fstream>
#include <random>

extern char** environ;

namespace coldtrace::storage::test {
namespace {

void clear_pg_environment() {
  std::vector<std::string> names;
  for (char** e = environ; *e; ++e) {
    const std::string_view v{*e};
    if (v.starts_with("PG")) names.emplace_back(v.substr(0, v.find('=')));
  }
  for (const auto& n : names) ::unsetenv(n.c_str());
}

std::optional<std::string> find_cluster() {
  clear_pg_environment();
  if (const char* none = std::getenv("COLDTRACE_TEST_PG"); none && std::string_view{none} == "none")
    return std::nullopt;
  if (const char* uri = std::getenv("COLDTRACE_TEST_PG_URI"); uri && *uri) return uri;
  const std::string file = COLDTRACE_BINARY_DIR "/pg-throwaway/uri";
  std::ifstream in{file};
  std::string uri;
  if (!(in >> uri))
    FAIL(
        "no PostgreSQL cluster for the tests: run them with ctest (its `pg` fixture starts one),"
        " or `tools/lib/pg_throwaway.sh start " COLDTRACE_BINARY_DIR
        "/pg-throwaway` first, or set COLDTRACE_TEST_PG=none to skip them");
  return uri;
}

}  // namespace

std::optional<std::string> pg_cluster() {
  static const std::optional<std::string> uri = find_cluster();
  return uri;
}

pg_database::pg_database() {
  const auto cluster = pg_cluster();
  REQUIRE(cluster);
  std::random_device rd;
  name = "t_" + std::to_string(rd()) + "_" + std::to_string(rd());
  uri = *cluster + name;
  auto admin = pg::connection::open(*cluster + "coldtrace");
  admin.exec("CREATE DATABASE " + name);
}

pg_database::~pg_database() {
  try {
    auto admin = pg::connection::open(*pg_cluster() + "coldtrace");
    admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster is thrown away at the end anyway.
  }
}

}  // namespace coldtrace::storage::test
