#include "server/config.h"

#include <cstdio>
#include <map>

#include "gtest/gtest.h"

namespace identity::server {
namespace {

absl::StatusOr<Config> Load(const std::map<std::string, std::string>& vars) {
  return LoadConfig([&](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

TEST(ConfigTest, DefaultsAreUsableAndSafe) {
  absl::StatusOr<Config> c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen_address, "127.0.0.1:50051");
  EXPECT_EQ(c->argon2.memory_kib, 19456u);
  EXPECT_EQ(c->argon2.iterations, 2u);
  EXPECT_GE(c->hash_workers, 1);
  EXPECT_EQ(c->sessions.lifetime, absl::Hours(12));
  EXPECT_EQ(c->database.size, 8);
  EXPECT_TRUE(c->bootstrap.username.empty());
  EXPECT_EQ(c->saml_metadata_refresh, absl::Hours(24));
}

TEST(ConfigTest, ReadsEveryKindOfValue) {
  absl::StatusOr<Config> c = Load({{"IDENTITY_DB_POOL_SIZE", "3"},
                                   {"IDENTITY_ARGON2_MEMORY_KIB", "65536"},
                                   {"IDENTITY_SESSION_LIFETIME_SECONDS", "600"},
                                   {"IDENTITY_LOG_LEVEL", "warning"},
                                   {"IDENTITY_DB_CONNECT_TIMEOUT_MS", "1500"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->database.size, 3);
  EXPECT_EQ(c->argon2.memory_kib, 65536u);
  EXPECT_EQ(c->sessions.lifetime, absl::Minutes(10));
  EXPECT_EQ(c->log_level, log::Level::kWarning);
  EXPECT_EQ(c->database.connect_timeout, absl::Milliseconds(1500));
}

TEST(ConfigTest, WrongValuesNameTheVariableAndTheRange) {
  struct Case {
    const char* name;
    const char* value;
  };
  for (Case c : {Case{"IDENTITY_DB_POOL_SIZE", "zero"},
                 Case{"IDENTITY_DB_POOL_SIZE", "0"},
                 Case{"IDENTITY_ARGON2_MEMORY_KIB", "1024"},  // below OWASP
                 Case{"IDENTITY_ARGON2_ITERATIONS", "1"},
                 Case{"IDENTITY_SESSION_LIFETIME_SECONDS", "-5"},
                 Case{"IDENTITY_LOG_LEVEL", "loud"},
                 Case{"IDENTITY_SAML_METADATA_REFRESH_SECONDS", "0"},
                 Case{"IDENTITY_SAML_METADATA_REFRESH_SECONDS", "24h"},
                 Case{"IDENTITY_LISTEN_ADDRESS", ""}}) {
    absl::StatusOr<Config> config = Load({{c.name, c.value}});
    ASSERT_FALSE(config.ok()) << c.name << "=" << c.value;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(config.status().message().find(c.name), absl::string_view::npos)
        << config.status();
  }
}

TEST(ConfigTest, BootstrapUsernameNeedsAPassword) {
  absl::StatusOr<Config> c =
      Load({{"IDENTITY_BOOTSTRAP_ADMIN_USERNAME", "root@example.com"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"),
            absl::string_view::npos);
}

TEST(ConfigTest, SecretsComeFromFilesWithoutTheTrailingNewline) {
  char path[] = "/tmp/identity-config-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  FILE* f = fdopen(fd, "w");
  fputs("from-a-file-secret\n", f);
  fclose(f);
  absl::StatusOr<Config> c =
      Load({{"IDENTITY_BOOTSTRAP_ADMIN_USERNAME", "root@example.com"},
            {"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD_FILE", path}});
  std::remove(path);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->bootstrap.password, "from-a-file-secret");
}

TEST(ConfigTest, SecretAndSecretFileTogetherAreRefused) {
  absl::StatusOr<Config> c =
      Load({{"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", "x"},
            {"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD_FILE", "/nonexistent"}});
  EXPECT_FALSE(c.ok());
}

TEST(ConfigTest, UnreadableSecretFileIsAClearError) {
  absl::StatusOr<Config> c =
      Load({{"IDENTITY_DATABASE_URL_FILE", "/nonexistent/db-url"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("IDENTITY_DATABASE_URL_FILE"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace identity::server
