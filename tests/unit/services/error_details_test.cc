// The one absl::Status -> grpc::Status conversion: what a program reads from
// an error (google.rpc.Status details: ErrorInfo, BadRequest, RetryInfo) and
// what it must never read there (secrets, hashes, stack traces).
#include <google/protobuf/any.pb.h>

#include "absl/strings/ascii.h"
#include "common/error_info.h"
#include "common/error_reasons.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/grpc_status.h"

namespace identity {
namespace {

using services::ToGrpcStatus;
using services::WithErrorDetails;

google::rpc::Status RichOf(const grpc::Status& s) {
  google::rpc::Status rich;
  EXPECT_TRUE(rich.ParseFromString(s.error_details())) << "details parse";
  return rich;
}

template <typename Detail>
int CountOf(const google::rpc::Status& rich, Detail* last) {
  int n = 0;
  for (const google::protobuf::Any& any : rich.details()) {
    if (any.UnpackTo(last)) ++n;
  }
  return n;
}

google::rpc::ErrorInfo InfoOf(const grpc::Status& s) {
  google::rpc::Status rich = RichOf(s);
  google::rpc::ErrorInfo info;
  EXPECT_GT(rich.details_size(), 0);
  if (rich.details_size() > 0) {
    EXPECT_TRUE(rich.details(0).UnpackTo(&info)) << "ErrorInfo comes first";
  }
  return info;
}

TEST(ErrorDetailsTest, ReasonAndMetadataMadeWithTheErrorReachTheClient) {
  const grpc::Status s =
      ToGrpcStatus(WithReason(absl::NotFoundError("user not found"),
                              reason::kUserNotFound, {{"resource", "user"}}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "user not found");
  const google::rpc::Status rich = RichOf(s);
  EXPECT_EQ(rich.code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(rich.message(), "user not found");
  const google::rpc::ErrorInfo info = InfoOf(s);
  EXPECT_EQ(info.reason(), "USER_NOT_FOUND");
  EXPECT_EQ(info.domain(), "identity.v1");
  EXPECT_EQ(info.metadata().at("resource"), "user");
}

TEST(ErrorDetailsTest, AnErrorMadeWithoutAReasonCarriesItsCodeName) {
  for (absl::Status s :
       {absl::InternalError("internal error"),
        absl::FailedPreconditionError("nothing to confirm"),
        absl::UnavailableError("down"), absl::InvalidArgumentError("bad")}) {
    const google::rpc::ErrorInfo info = InfoOf(ToGrpcStatus(s));
    EXPECT_EQ(info.reason(), absl::StatusCodeToString(s.code()));
    EXPECT_EQ(info.domain(), "identity.v1");
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).error_details().empty());
}

TEST(ErrorDetailsTest, AValidationMessageNamingAFieldBecomesABadRequest) {
  const grpc::Status s =
      ToGrpcStatus(absl::InvalidArgumentError("settings.lockout.threshold: "
                                              "must be between 0 and 100"));
  const google::rpc::ErrorInfo info = InfoOf(s);
  EXPECT_EQ(info.reason(), "INVALID_FIELD");
  EXPECT_EQ(info.metadata().at("field"), "settings.lockout.threshold");
  google::rpc::BadRequest bad;
  ASSERT_EQ(CountOf(RichOf(s), &bad), 1);
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "settings.lockout.threshold");
  EXPECT_EQ(bad.field_violations(0).description(), "must be between 0 and 100");
}

TEST(ErrorDetailsTest, OneFieldViolationPerBadField) {
  absl::Status s = InvalidFieldError("name", "required");
  s = WithFieldViolation(std::move(s), "email", "not an address");
  const grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_message(), "name: required");
  google::rpc::BadRequest bad;
  ASSERT_EQ(CountOf(RichOf(g), &bad), 1);
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "name");
  EXPECT_EQ(bad.field_violations(1).field(), "email");
  EXPECT_EQ(InfoOf(g).reason(), "INVALID_FIELD");
}

TEST(ErrorDetailsTest, ASpecificValidationReasonKeepsItsBadRequest) {
  const grpc::Status s = ToGrpcStatus(WithReason(
      absl::InvalidArgumentError("new_password: must contain a digit"),
      reason::kPasswordPolicy, {{"field", "new_password"}}));
  EXPECT_EQ(InfoOf(s).reason(), "PASSWORD_POLICY");
  google::rpc::BadRequest bad;
  ASSERT_EQ(CountOf(RichOf(s), &bad), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "new_password");
}

TEST(ErrorDetailsTest, AMessageThatNamesNoFieldGivesNoBadRequest) {
  for (const char* message :
       {"request nested too deeply", "Name: capitalised is not a field",
        "the value: with spaces before the colon"}) {
    const grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError(message));
    google::rpc::BadRequest bad;
    EXPECT_EQ(CountOf(RichOf(s), &bad), 0) << message;
    EXPECT_EQ(InfoOf(s).reason(), "INVALID_ARGUMENT") << message;
  }
}

TEST(ErrorDetailsTest, RetryInfoSaysHowLongToWait) {
  const grpc::Status s = ToGrpcStatus(WithRetryDelay(
      WithReason(absl::ResourceExhaustedError("too many failed attempts"),
                 reason::kRateLimited, {{"limit", "address"}}),
      absl::Milliseconds(1500)));
  EXPECT_EQ(InfoOf(s).reason(), "RATE_LIMITED");
  google::rpc::RetryInfo retry;
  ASSERT_EQ(CountOf(RichOf(s), &retry), 1);
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(retry.retry_delay().nanos(), 500000000);
}

TEST(ErrorDetailsTest, SecretsHashesAndStackTracesNeverReachTheMetadata) {
  const std::string long_value(1000, 'x');
  const grpc::Status s = ToGrpcStatus(
      WithReason(absl::UnauthenticatedError("invalid username or password"),
                 reason::kLoginFailed,
                 {{"password", "Correct-Horse-Battery-9"},
                  {"new_Password", "x"},
                  {"session_token", "idt_abc"},
                  {"password_hash", "$argon2id$v=19$..."},
                  {"client_secret", "s"},
                  {"bind_credentials", "c"},
                  {"trace", "frame 1\nframe 2"},
                  {"field", long_value},
                  {"provider", "ldap"}}));
  const google::rpc::ErrorInfo info = InfoOf(s);
  EXPECT_EQ(info.metadata_size(), 2);
  EXPECT_EQ(info.metadata().at("provider"), "ldap");
  EXPECT_EQ(info.metadata().at("field").size(), 200u);
  const std::string wire = s.error_details();
  for (const char* secret : {"Correct-Horse", "idt_abc", "argon2id", "frame"}) {
    EXPECT_EQ(wire.find(secret), std::string::npos) << secret;
  }
}

TEST(ErrorDetailsTest, AStatusGrpcMadeGetsDetailsAndOursAreKept) {
  const grpc::Status bare(grpc::StatusCode::RESOURCE_EXHAUSTED, "busy");
  const grpc::Status given = WithErrorDetails(bare);
  EXPECT_EQ(given.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(given.error_message(), "busy");
  EXPECT_EQ(InfoOf(given).reason(), "RESOURCE_EXHAUSTED");

  const grpc::Status ours = ToGrpcStatus(
      WithReason(absl::ResourceExhaustedError("busy"), reason::kServerBusy));
  EXPECT_EQ(WithErrorDetails(ours).error_details(), ours.error_details());
  EXPECT_TRUE(WithErrorDetails(grpc::Status::OK).ok());
}

TEST(ErrorDetailsTest, ReasonsAreUniqueUpperSnakeCase) {
  std::set<std::string> seen;
  for (const reason::KnownReason& r : reason::KnownReasons()) {
    const std::string name(r.reason);
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(absl::ascii_isupper(static_cast<unsigned char>(name[0])));
    for (char c : name) {
      EXPECT_TRUE(absl::ascii_isupper(static_cast<unsigned char>(c)) ||
                  c == '_')
          << name;
    }
  }
}

TEST(ErrorDetailsTest, ErrorReasonReadsWhatWithReasonWrote) {
  EXPECT_EQ(ErrorReason(absl::NotFoundError("x")), "");
  EXPECT_EQ(ErrorReason(
                WithReason(absl::AbortedError("x"), reason::kVersionConflict)),
            "VERSION_CONFLICT");
  EXPECT_TRUE(WithReason(absl::OkStatus(), reason::kLoginFailed).ok());
}

}  // namespace
}  // namespace identity
