#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {

absl::Status PgStore::SaveTotp(absl::string_view user_id,
                               absl::string_view secret_box,
                               const AuditEntry& audit) {
  return TransactStatus("SaveTotp", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "INSERT INTO user_totp (user_id, secret_box) VALUES ($1, decode($2, 'hex')) "
        "ON CONFLICT (user_id) DO UPDATE SET secret_box = EXCLUDED.secret_box, "
        "created_at = now() WHERE NOT user_totp.confirmed RETURNING user_id",
        std::string(user_id), ToHex(secret_box));
    if (r.empty()) {
      return absl::FailedPreconditionError(
          "TOTP is already set up; disable it before enrolling again");
    }
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

absl::StatusOr<TotpState> PgStore::GetTotp(absl::string_view user_id) {
  return Read<TotpState>("GetTotp", [&](pqxx::transaction_base& tx) -> absl::StatusOr<TotpState> {
    pqxx::result r = tx.exec_params(
        "SELECT encode(secret_box, 'hex'), confirmed, last_step FROM user_totp "
        "WHERE user_id = $1",
        std::string(user_id));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("no TOTP enrolled"),
                        reason::kTotpNotEnrolled);
    }
    return TotpState{absl::HexStringToBytes(r[0][0].as<std::string>()),
                     r[0][1].as<bool>(), r[0][2].as<int64_t>()};
  });
}

absl::Status PgStore::ConfirmTotp(absl::string_view user_id, int64_t step,
                                  const std::vector<std::string>& code_digests,
                                  const AuditEntry& audit) {
  return TransactStatus("ConfirmTotp", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "UPDATE user_totp SET confirmed = true, last_step = $2 "
        "WHERE user_id = $1 AND NOT confirmed RETURNING user_id",
        std::string(user_id), step);
    if (r.empty()) {
      return absl::FailedPreconditionError(
          "there is no TOTP enrollment waiting for confirmation; call "
          "EnrollTotp first");
    }
    tx.exec_params("DELETE FROM user_recovery_codes WHERE user_id = $1",
                   std::string(user_id));
    for (const std::string& d : code_digests) {
      tx.exec_params(
          "INSERT INTO user_recovery_codes (user_id, code_digest) "
          "VALUES ($1, decode($2, 'hex'))",
          std::string(user_id), ToHex(d));
    }
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> PgStore::UseTotpStep(absl::string_view user_id,
                                          int64_t step) {
  return Transact<bool>("UseTotpStep", [&](pqxx::work& tx) -> absl::StatusOr<bool> {
    return !tx.exec_params(
                  "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 "
                  "AND confirmed AND last_step < $2 RETURNING user_id",
                  std::string(user_id), step)
                .empty();
  });
}

absl::StatusOr<bool> PgStore::UseRecoveryCode(absl::string_view user_id,
                                              absl::string_view digest) {
  return Transact<bool>("UseRecoveryCode", [&](pqxx::work& tx) -> absl::StatusOr<bool> {
    return !tx.exec_params(
                  "UPDATE user_recovery_codes SET used_at = now() "
                  "WHERE user_id = $1 AND code_digest = decode($2, 'hex') "
                  "AND used_at IS NULL RETURNING user_id",
                  std::string(user_id), ToHex(digest))
                .empty();
  });
}

absl::Status PgStore::DeleteTotp(absl::string_view user_id,
                                 const AuditEntry& audit) {
  return TransactStatus("DeleteTotp", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "DELETE FROM user_totp WHERE user_id = $1 RETURNING user_id",
        std::string(user_id));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("no TOTP enrolled"),
                        reason::kTotpNotEnrolled);
    }
    tx.exec_params("DELETE FROM user_recovery_codes WHERE user_id = $1",
                   std::string(user_id));
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
