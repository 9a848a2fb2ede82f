#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

std::string PurposeSql(TokenPurpose purpose) {
  return purpose == TokenPurpose::kInvitation ? "INVITATION"
                                              : "EMAIL_VERIFICATION";
}

}  // namespace

absl::Status PgStore::IssueUserToken(absl::string_view user_id,
                                     TokenPurpose purpose,
                                     absl::string_view token_digest,
                                     absl::Time expires_at,
                                     const AuditEntry& audit) {
  return TransactStatus("IssueUserToken", [&](pqxx::work& tx) {
    tx.exec_params(
        "UPDATE user_tokens SET voided = true WHERE user_id = $1 AND "
        "purpose = $2 AND used_at IS NULL AND NOT voided",
        std::string(user_id), PurposeSql(purpose));
    tx.exec_params(
        "INSERT INTO user_tokens (user_id, purpose, token_digest, expires_at) "
        "VALUES ($1, $2, decode($3, 'hex'), to_timestamp($4::float8 / 1000000))",
        std::string(user_id), PurposeSql(purpose), ToHex(token_digest),
        MicrosFromTime(expires_at));
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

absl::StatusOr<User> PgStore::PeekUserToken(absl::string_view token_digest,
                                            TokenPurpose purpose) {
  return Read<User>("PeekUserToken", [&](pqxx::transaction_base& tx) -> absl::StatusOr<User> {
    pqxx::result r = tx.exec_params(
        absl::StrCat("SELECT t.expires_at <= now(), ", kUserColumns,
                     " FROM user_tokens t JOIN users u ON u.id = t.user_id "
                     "WHERE t.token_digest = decode($1, 'hex') AND "
                     "t.purpose = $2 AND t.used_at IS NULL AND NOT t.voided"),
        ToHex(token_digest), PurposeSql(purpose));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("token not found"),
                        reason::kTokenNotFound);
    }
    if (r[0][0].as<bool>()) {
      return WithReason(absl::FailedPreconditionError("expired"),
                        reason::kTokenExpired);
    }
    return UserFromRow(r[0], 1);
  });
}

absl::StatusOr<User> PgStore::RedeemUserToken(absl::string_view token_digest,
                                              TokenPurpose purpose,
                                              absl::string_view password_hash,
                                              const AuditEntry& audit) {
  return Transact<User>("RedeemUserToken", [&](pqxx::work& tx) -> absl::StatusOr<User> {
    pqxx::result t = tx.exec_params(
        "SELECT id, user_id, expires_at <= now() FROM user_tokens "
        "WHERE token_digest = decode($1, 'hex') AND purpose = $2 AND "
        "used_at IS NULL AND NOT voided FOR UPDATE",
        ToHex(token_digest), PurposeSql(purpose));
    if (t.empty()) {
      return WithReason(absl::NotFoundError("token not found"),
                        reason::kTokenNotFound);
    }
    if (t[0][2].as<bool>()) {
      return WithReason(absl::FailedPreconditionError("expired"),
                        reason::kTokenExpired);
    }
    const std::string user_id = t[0][1].as<std::string>();
    tx.exec_params("UPDATE user_tokens SET used_at = now() WHERE id = $1",
                   t[0][0].as<std::string>());
    if (!password_hash.empty()) {
      tx.exec_params(
          "UPDATE users SET password_hash = $2, password_changed_at = now() "
          "WHERE id = $1",
          user_id, std::string(password_hash));
    }
    pqxx::row row = tx.exec_params1(
        absl::StrCat("UPDATE users u SET pending = false, "
                     "registration_expires_at = NULL, updated_at = now(), "
                     "version = version + 1 WHERE id = $1 RETURNING ",
                     kUserColumns),
        user_id);
    User user = UserFromRow(row);
    AuditEntry entry = audit;
    entry.target_id = user.id;
    entry.organization_id = user.organization_id;
    InsertAudit(tx, entry);
    return user;
  });
}

absl::StatusOr<User> PgStore::AcceptTerms(absl::string_view user_id,
                                          absl::string_view version,
                                          const AuditEntry& audit) {
  return Transact<User>("AcceptTerms", [&](pqxx::work& tx) -> absl::StatusOr<User> {
    pqxx::result r = tx.exec_params(
        absl::StrCat("UPDATE users u SET terms_accepted_version = $2, "
                     "updated_at = now(), version = version + 1 "
                     "WHERE id = $1 RETURNING ",
                     kUserColumns),
        std::string(user_id), std::string(version));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("user not found"),
                        reason::kUserNotFound);
    }
    InsertAudit(tx, audit);
    return UserFromRow(r[0]);
  });
}

}  // namespace identity::storage
