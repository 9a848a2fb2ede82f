// The calls that answer a principal send it as bytes encoded once per
// shared principal; a client must read exactly the principal it would read
// had the message been filled field by field.
#include <google/protobuf/util/message_differencer.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "identity/v1/auth_service.pb.h"
#include "services/credential_answer.h"

namespace identity::services {
namespace {

using google::protobuf::util::MessageDifferencer;

SharedPrincipal SomePrincipal() {
  auto p = std::make_shared<Principal>();
  p->user.id = "7b0c2a52-8d2e-4f51-9d8a-2f1f3c1e9a10";
  p->user.organization_id = "0b4f7a8e-1c55-4f59-a0a4-5c2d0e5a9b31";
  p->user.username = "caller@example.com";
  p->user.origin = domain::Origin::kLdap;
  p->user.primary_role = "BASIC_USER";
  p->roles = {"BASIC_USER", "auditors"};
  p->permissions = {"apps.create", "audit.read", "self.read"};
  p->expires_at = absl::FromUnixSeconds(1796213490) + absl::Microseconds(786);
  p->api_key_id = "5d1d6c2e-0000-4000-8000-000000000001";
  return p;
}

// What a client parses from the bytes `response` is sent as.
template <typename Response>
Response Received(const Response& response) {
  Response parsed;
  EXPECT_TRUE(parsed.ParseFromString(response.SerializeAsString()));
  return parsed;
}

template <typename Response>
void ExpectSameAsFilledByField(const SharedPrincipal& principal) {
  Response spliced;
  AnswerPrincipal(principal, &spliced);
  Response filled;
  ToProto(*principal, filled.mutable_principal());
  EXPECT_TRUE(MessageDifferencer::Equals(Received(spliced), filled))
      << Received(spliced).DebugString() << "\nexpected\n"
      << filled.DebugString();
  const Response got = Received(spliced);
  EXPECT_TRUE(got.GetReflection()->GetUnknownFields(got).empty());
}

TEST(PrincipalAnswerTest, EveryResponseCarriesThePrincipalAClientExpects) {
  SharedPrincipal p = SomePrincipal();
  ExpectSameAsFilledByField<v1::ValidateTokenResponse>(p);
  ExpectSameAsFilledByField<v1::ValidateApiKeyResponse>(p);
  ExpectSameAsFilledByField<v1::CheckPermissionResponse>(p);
  ExpectSameAsFilledByField<v1::BatchCheckPermissionsResponse>(p);
}

// A session's principal carries its expiry; a key that never expires has
// none, and its answer has no expires_at.
TEST(PrincipalAnswerTest, AKeyThatNeverExpiresIsAnsweredWithoutExpiry) {
  auto p = std::make_shared<Principal>(*SomePrincipal());
  p->expires_at = absl::InfiniteFuture();
  ExpectSameAsFilledByField<v1::ValidateApiKeyResponse>(p);
  v1::ValidateApiKeyResponse spliced;
  AnswerPrincipal(p, &spliced);
  EXPECT_FALSE(Received(spliced).principal().has_expires_at());
  EXPECT_EQ(Received(spliced).principal().api_key_id(), p->api_key_id);
}

TEST(PrincipalAnswerTest, TheOtherFieldsOfTheAnswerAreKept) {
  SharedPrincipal p = SomePrincipal();
  v1::BatchCheckPermissionsResponse spliced;
  AnswerPrincipal(p, &spliced);
  spliced.add_results()->set_allowed(true);
  spliced.add_results()->set_reason(v1::CheckPermissionResponse::KEY_SCOPE);
  v1::BatchCheckPermissionsResponse got = Received(spliced);
  ASSERT_EQ(got.results_size(), 2);
  EXPECT_TRUE(got.results(0).allowed());
  EXPECT_EQ(got.results(1).reason(), v1::CheckPermissionResponse::KEY_SCOPE);
  EXPECT_EQ(got.principal().username(), "caller@example.com");
  EXPECT_EQ(got.principal().origin(), v1::ORIGIN_LDAP);
}

// A pending step withholds the permissions from the encoded principal too.
TEST(PrincipalAnswerTest, APendingStepWithholdsPermissions) {
  auto p = std::make_shared<Principal>(*SomePrincipal());
  p->required_actions = {kChangePassword};
  v1::ValidateTokenResponse spliced;
  AnswerPrincipal(p, &spliced);
  v1::ValidateTokenResponse got = Received(spliced);
  EXPECT_EQ(got.principal().permissions_size(), 0);
  ASSERT_EQ(got.principal().required_actions_size(), 1);
  EXPECT_EQ(got.principal().required_actions(0), kChangePassword);
}

TEST(PrincipalAnswerTest, APrincipalIsEncodedOnceForAllItsAnswers) {
  SharedPrincipal p = SomePrincipal();
  const std::string* first = nullptr;
  for (int i = 0; i < 3; ++i) {
    v1::CheckPermissionResponse r;
    AnswerPrincipal(p, &r);
    const std::string& now = p->encoded.Get([]() -> std::string {
      ADD_FAILURE() << "encoded again";
      return "";
    });
    if (first == nullptr) first = &now;
    EXPECT_EQ(&now, first);
  }
}

// A copy of a principal is a new principal: it may be changed, so it does
// not inherit the original's encoding.
TEST(PrincipalAnswerTest, ACopyIsEncodedFromItsOwnFields) {
  SharedPrincipal p = SomePrincipal();
  v1::ValidateTokenResponse original;
  AnswerPrincipal(p, &original);
  auto copy = std::make_shared<Principal>(*p);
  copy->user.username = "renamed@example.com";
  v1::ValidateTokenResponse answer;
  AnswerPrincipal(copy, &answer);
  EXPECT_EQ(Received(answer).principal().username(), "renamed@example.com");
  EXPECT_EQ(Received(original).principal().username(), "caller@example.com");
}

TEST(MemoTest, CallsRacingOnTheFirstUseAllGetTheValueKept) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    Memo<std::string> memo;
    std::vector<const std::string*> seen(8);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        // All start together, so that several make a value and race.
        ready.fetch_add(1);
        while (ready.load() < 8) {
        }
        seen[t] = &memo.Get([t] { return std::to_string(t); });
      });
    }
    for (std::thread& t : threads) t.join();
    for (const std::string* s : seen) EXPECT_EQ(s, seen[0]);
    EXPECT_EQ(*seen[0], memo.Get([] { return std::string("late"); }));
  }
}

TEST(MemoTest, AnAssignedOrMovedOwnerStartsWithoutTheValue) {
  Memo<std::string> kept;
  kept.Get([] { return std::string("first"); });
  Memo<std::string> copied(kept);
  EXPECT_EQ(copied.Get([] { return std::string("copy"); }), "copy");
  Memo<std::string> moved(std::move(copied));
  EXPECT_EQ(moved.Get([] { return std::string("moved"); }), "moved");
  kept = moved;
  EXPECT_EQ(kept.Get([] { return std::string("assigned"); }), "assigned");
  kept = Memo<std::string>();
  EXPECT_EQ(kept.Get([] { return std::string("again"); }), "again");
}

}  // namespace
}  // namespace identity::services
