// A user's time_zone is an IANA name from the system's zone list: never a
// file path for the server to open, nor a name it remembers for nothing.
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using TimeZoneE2eTest = E2eTest;

TEST_F(TimeZoneE2eTest, TimeZoneThatIsAFilePathOrUnknownIsRefused) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  auto update = [&](const std::string& zone) {
    v1::UpdateUserRequest req;
    req.set_id(user.id());
    req.set_time_zone(zone);
    v1::User out;
    return users_->UpdateUser(Ctx(token).get(), req, &out);
  };
  for (const char* bad :
       {"/etc/localtime", "/usr/share/zoneinfo/Europe/Berlin",
        "posix/Europe/Berlin", "../zoneinfo/UTC", "localtime",
        "Fixed/UTC+01:00:00", "Mars/Olympus_Mons"}) {
    grpc::Status s = update(bad);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_EQ(s.error_message().rfind("time_zone: ", 0), 0u)
        << bad << ": " << s.error_message();
  }
  grpc::Status ok = update("Europe/Berlin");
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(Sql("SELECT time_zone FROM users WHERE id = '" + user.id() + "'"),
            "Europe/Berlin");
}

}  // namespace
}  // namespace identity::testing
