// Lets libpqxx 6 send std::optional<std::string> as a nullable parameter.
#ifndef IDENTITY_STORAGE_PG_PQXX_OPTIONAL_H_
#define IDENTITY_STORAGE_PG_PQXX_OPTIONAL_H_

#include <optional>
#include <string>

#include <pqxx/strconv>

namespace pqxx {

template <>
struct string_traits<std::optional<std::string>> {
  static constexpr const char* name() noexcept { return "optional<string>"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const std::optional<std::string>& v) {
    return !v.has_value();
  }
  static std::optional<std::string> null() { return std::nullopt; }
  static void from_string(const char str[], std::optional<std::string>& v) {
    v = str;
  }
  static std::string to_string(const std::optional<std::string>& v) {
    return *v;
  }
};

}  // namespace pqxx

namespace identity::storage {

// An empty id goes to PostgreSQL as NULL (uuid columns that may be unset).
inline std::optional<std::string> NullIfEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_PQXX_OPTIONAL_H_
