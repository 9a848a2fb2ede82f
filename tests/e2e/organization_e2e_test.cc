// OrganizationService through the real binary.
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using OrganizationE2eTest = E2eTest;

TEST_F(OrganizationE2eTest, LifecycleWithVersionsAndUniqueNames) {
  v1::Organization org = CreateOrg("Initech " + Unique(""));
  EXPECT_EQ(org.version(), 1);
  v1::CreateOrganizationRequest dup;
  dup.set_name(org.name());
  v1::Organization out;
  EXPECT_EQ(orgs_->CreateOrganization(Ctx(AdminToken()).get(), dup, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::UpdateOrganizationRequest up;
  up.set_id(org.id());
  up.set_name("Initrode " + Unique(""));
  up.set_version(org.version());
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), up, &out).ok());
  EXPECT_EQ(out.name(), up.name());
  EXPECT_EQ(out.version(), 2);
  EXPECT_EQ(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), up, &out).error_code(),
            grpc::StatusCode::ABORTED);

  v1::GetOrganizationRequest get;
  get.set_id(org.id());
  ASSERT_TRUE(orgs_->GetOrganization(Ctx(AdminToken()).get(), get, &out).ok());
  EXPECT_EQ(out.name(), up.name());

  v1::DeleteOrganizationRequest del;
  del.set_id(org.id());
  v1::DeleteOrganizationResponse gone;
  ASSERT_TRUE(orgs_->DeleteOrganization(Ctx(AdminToken()).get(), del, &gone).ok());
  EXPECT_EQ(orgs_->GetOrganization(Ctx(AdminToken()).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(OrganizationE2eTest, AnOrganizationWithUsersIsNotDeleted) {
  v1::Organization org = CreateOrg();
  CreateUser(org.id(), "BASIC_USER");
  v1::DeleteOrganizationRequest del;
  del.set_id(org.id());
  v1::DeleteOrganizationResponse gone;
  grpc::Status s = orgs_->DeleteOrganization(Ctx(AdminToken()).get(), del, &gone);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("still has 1 user"), std::string::npos);
}

TEST_F(OrganizationE2eTest, BadInputIsNamed) {
  v1::CreateOrganizationRequest req;
  v1::Organization out;
  grpc::Status s = orgs_->CreateOrganization(Ctx(AdminToken()).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "name: required");
  req.set_name(std::string(201, 'n'));
  EXPECT_EQ(orgs_->CreateOrganization(Ctx(AdminToken()).get(), req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::GetOrganizationRequest get;
  get.set_id("42");
  s = orgs_->GetOrganization(Ctx(AdminToken()).get(), get, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "id: must be a UUID");
  v1::ListOrganizationsRequest list;
  list.set_page_token("bogus");
  v1::ListOrganizationsResponse page;
  EXPECT_EQ(orgs_->ListOrganizations(Ctx(AdminToken()).get(), list, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrganizationE2eTest, AdminsSeeOnlyTheirOwnOrganization) {
  v1::Organization mine = CreateOrg();
  v1::Organization theirs = CreateOrg();
  v1::User admin = CreateUser(mine.id(), "ADMIN");
  std::string token = Login(admin.username(), kPassword);
  v1::ListOrganizationsResponse page;
  ASSERT_TRUE(orgs_->ListOrganizations(Ctx(token).get(), {}, &page).ok());
  ASSERT_EQ(page.organizations_size(), 1);
  EXPECT_EQ(page.organizations(0).id(), mine.id());

  v1::GetOrganizationRequest get;
  get.set_id(theirs.id());
  v1::Organization out;
  EXPECT_EQ(orgs_->GetOrganization(Ctx(token).get(), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::UpdateOrganizationRequest up;
  up.set_id(mine.id());
  up.set_name("Renamed " + Unique(""));
  EXPECT_TRUE(orgs_->UpdateOrganization(Ctx(token).get(), up, &out).ok());

  // The global admin pages through all of them.
  v1::ListOrganizationsRequest list;
  list.set_page_size(1);
  int seen = 0;
  for (;;) {
    ASSERT_TRUE(orgs_->ListOrganizations(Ctx(AdminToken()).get(), list, &page).ok());
    seen += page.organizations_size();
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(std::to_string(seen), Sql("SELECT count(*) FROM organizations"));
}

}  // namespace
}  // namespace identity::testing
