#include "application/sessions/totp.h"

#include <liboath/oath.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "application/scope.h"
#include "domain/validation.h"

namespace identity {
namespace {

constexpr unsigned kStepSeconds = 30;
constexpr size_t kSeedBytes = 20;  // 160 bits, as RFC 4226 recommends
constexpr int kRecoveryCodes = 10;

std::string UriEscape(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '@') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "%", absl::StrCat(absl::Hex(c, absl::kZeroPad2)));
    }
  }
  return out;
}

// "xxxx-xxxx-xxxx" from an alphabet without look-alike characters.
std::string NewRecoveryCode() {
  constexpr absl::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string code;
  for (int i = 0; i < 12; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kAlphabet[crypto::RandomUniform(kAlphabet.size())];
  }
  return code;
}

bool LooksLikeRecoveryCode(absl::string_view code) {
  return code.size() == 14 && code[4] == '-' && code[9] == '-';
}

absl::Status BadCode() {
  return absl::InvalidArgumentError(
      "code: not the current code of the authenticator app");
}

}  // namespace

std::optional<int64_t> TotpManager::StepOf(const std::string& seed,
                                           absl::string_view code) const {
  if (code.size() != 6 ||
      !std::all_of(code.begin(), code.end(),
                   [](char c) { return absl::ascii_isdigit(c); })) {
    return std::nullopt;
  }
  const time_t now = absl::ToUnixSeconds(absl::Now());
  int position = 0;
  const std::string otp(code);
  if (oath_totp_validate2(seed.data(), seed.size(), now, kStepSeconds, 0, 1,
                          &position, otp.c_str()) < 0) {
    return std::nullopt;
  }
  return static_cast<int64_t>(now / kStepSeconds) + position;
}

absl::StatusOr<TotpEnrollment> TotpManager::Enroll(const Caller& caller) {
  const Principal& p = *caller.principal;
  const std::string seed = crypto::RandomBytes(kSeedBytes);
  absl::StatusOr<std::string> sealed = box_->Seal(seed);
  if (!sealed.ok()) return sealed.status();
  absl::Status saved = store_->SaveTotp(
      p.user.id, *sealed,
      MakeAudit(caller, "totp.enroll", "user", p.user.id, p.user.organization_id));
  if (!saved.ok()) return saved;
  char* base32 = nullptr;
  size_t len = 0;
  if (oath_base32_encode(seed.data(), seed.size(), &base32, &len) != OATH_OK) {
    return absl::InternalError("internal error");
  }
  TotpEnrollment out;
  out.secret.assign(base32, len);
  std::free(base32);
  out.uri = absl::StrCat("otpauth://totp/", UriEscape(issuer_), ":",
                         UriEscape(p.user.username), "?secret=", out.secret,
                         "&issuer=", UriEscape(issuer_),
                         "&algorithm=SHA1&digits=6&period=30");
  return out;
}

absl::StatusOr<std::vector<std::string>> TotpManager::Confirm(
    const Caller& caller, absl::string_view code) {
  const Principal& p = *caller.principal;
  absl::StatusOr<domain::TotpState> state = store_->GetTotp(p.user.id);
  if (absl::IsNotFound(state.status()) || (state.ok() && state->confirmed)) {
    return absl::FailedPreconditionError(
        "there is no TOTP enrollment waiting for confirmation; call "
        "EnrollTotp first");
  }
  if (!state.ok()) return state.status();
  absl::StatusOr<std::string> seed = box_->Open(state->secret_box);
  if (!seed.ok()) return seed.status();
  std::optional<int64_t> step = StepOf(*seed, code);
  if (!step) return BadCode();
  std::vector<std::string> codes, digests;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    codes.push_back(NewRecoveryCode());
    digests.push_back(crypto::Sha256(codes.back()));
  }
  absl::Status confirmed = store_->ConfirmTotp(
      p.user.id, *step, digests,
      MakeAudit(caller, "totp.confirm", "user", p.user.id,
                p.user.organization_id));
  if (!confirmed.ok()) return confirmed;
  return codes;
}

absl::StatusOr<bool> TotpManager::Verify(const domain::User& user,
                                         absl::string_view code) {
  if (LooksLikeRecoveryCode(code)) {
    return store_->UseRecoveryCode(user.id,
                                   crypto::Sha256(absl::AsciiStrToLower(code)));
  }
  absl::StatusOr<domain::TotpState> state = store_->GetTotp(user.id);
  if (absl::IsNotFound(state.status())) return false;
  if (!state.ok()) return state.status();
  absl::StatusOr<std::string> seed = box_->Open(state->secret_box);
  if (!seed.ok()) return seed.status();
  std::optional<int64_t> step = StepOf(*seed, code);
  if (!step) return false;
  return store_->UseTotpStep(user.id, *step);
}

absl::Status TotpManager::Disable(const Caller& caller,
                                  absl::string_view user_id,
                                  absl::string_view code) {
  const Principal& p = *caller.principal;
  absl::StatusOr<domain::User> subject = CallerOrUser(*store_, p, user_id);
  if (!subject.ok()) return subject.status();
  const domain::User& user = *subject;
  absl::Status allowed =
      Check(op::kDisableTotp, p,
            TargetFor(user));
  if (!allowed.ok()) return allowed;
  if (user.id == p.user.id) {
    // Someone holding only the session must not remove the second factor,
    // nor guess its codes here without limit.
    if (code.empty()) {
      return absl::InvalidArgumentError(
          "code: required to remove your own second factor (a current or a "
          "recovery code)");
    }
    absl::StatusOr<domain::UserCredentials> creds =
        store_->GetCredentials(user.id);
    if (!creds.ok()) return creds.status();
    if (absl::Status open = RefuseWhileLocked(creds->user); !open.ok()) {
      return open;
    }
    absl::StatusOr<bool> ok = Verify(user, code);
    if (!ok.ok()) return ok.status();
    if (!*ok) {
      absl::Status counted =
          failures_->Count(caller, user.username, *creds, "wrong_totp");
      if (!counted.ok()) return counted;
      return BadCode();
    }
  }
  return store_->DeleteTotp(
      user.id, MakeAudit(caller, "totp.disable", "user", user.id,
                         user.organization_id));
}

}  // namespace identity
