#include "storage/pg/errors.h"

#include <string>

#include <pqxx/except>

#include "common/error_info.h"
#include "common/log.h"

namespace identity::storage {
namespace {

// Unique indexes whose violation is the caller's mistake, with what to say.
struct UniqueMessage {
  absl::string_view constraint;
  absl::string_view message;
};
constexpr UniqueMessage kUniqueMessages[] = {
    {"users_username_key", "username is already taken"},
    {"organizations_name_key", "an organization with this name already exists"},
    {"roles_org_name_key", "the organization already has a role with this name"},
    {"groups_org_name_key", "the organization already has a group with this name"},
};

absl::Status DatabaseUnavailable(absl::string_view message) {
  return WithReason(absl::UnavailableError(message),
                    reason::kDatabaseUnavailable);
}

absl::Status UniqueViolation(absl::string_view op, const pqxx::sql_error& e) {
  const std::string what = e.what();
  for (const UniqueMessage& m : kUniqueMessages) {
    if (what.find(std::string(m.constraint)) != std::string::npos) {
      const bool user = m.constraint == "users_username_key";
      return WithReason(absl::AlreadyExistsError(m.message),
                        user ? reason::kUsernameTaken : reason::kNameTaken,
                        {{"field", user ? "username" : "name"}});
    }
  }
  log::Error("storage.unique_violation",
             {{"op", op}, {"sqlstate", e.sqlstate()}});
  return absl::AlreadyExistsError("the object already exists");
}

}  // namespace

bool IsConnectionFailure(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const pqxx::broken_connection&) {
    return true;
  } catch (const pqxx::in_doubt_error&) {
    return true;
  } catch (...) {
    return false;
  }
}

absl::Status TranslateException(absl::string_view op, std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const pqxx::broken_connection&) {
    log::Warn("storage.connection_lost", {{"op", op}});
    return DatabaseUnavailable("database unavailable; retry later");
  } catch (const pqxx::in_doubt_error&) {
    log::Error("storage.commit_in_doubt", {{"op", op}});
    return DatabaseUnavailable(
        "database connection lost during commit; the change may or may not "
        "have been applied: read it back before retrying");
  } catch (const pqxx::unique_violation& e) {
    return UniqueViolation(op, e);
  } catch (const pqxx::foreign_key_violation& e) {
    log::Warn("storage.foreign_key_violation", {{"op", op}});
    return WithReason(
        absl::FailedPreconditionError("the object is still referenced, or "
                                      "refers to one that does not exist"),
        reason::kStillReferenced);
  } catch (const pqxx::serialization_failure&) {
    return WithReason(absl::AbortedError("concurrent update conflict; retry"),
                      reason::kConcurrentUpdate);
  } catch (const pqxx::deadlock_detected&) {
    return WithReason(absl::AbortedError("concurrent update conflict; retry"),
                      reason::kConcurrentUpdate);
  } catch (const pqxx::statement_completion_unknown&) {
    return DatabaseUnavailable("database connection lost; retry later");
  } catch (const pqxx::sql_error& e) {
    // 57014: statement_timeout; 57P01..57P03: server shutting down/starting.
    const std::string state = e.sqlstate();
    if (state == "57014") {
      return WithReason(absl::DeadlineExceededError("database query timed out"),
                        reason::kDatabaseTimeout);
    }
    if (state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0) {
      return DatabaseUnavailable("database unavailable; retry later");
    }
    log::Error("storage.sql_error", {{"op", op}, {"sqlstate", state}});
    return absl::InternalError("internal error");
  } catch (const std::exception& e) {
    log::Error("storage.error", {{"op", op}, {"error", e.what()}});
    return absl::InternalError("internal error");
  } catch (...) {
    log::Error("storage.error", {{"op", op}});
    return absl::InternalError("internal error");
  }
}

}  // namespace identity::storage
