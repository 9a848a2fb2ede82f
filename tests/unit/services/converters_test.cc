// The API's Origin and the domain's meet by name: every value of one has
// its twin in the other, so a provider type's origin needs no converter.
#include "services/converters.h"

#include "gtest/gtest.h"

namespace identity::services {
namespace {

TEST(OriginConversionTest, EveryApiOriginRoundTripsThroughTheDomain) {
  const google::protobuf::EnumDescriptor* values = v1::Origin_descriptor();
  int seen = 0;
  for (int i = 0; i < values->value_count(); ++i) {
    const auto api = static_cast<v1::Origin>(values->value(i)->number());
    if (api == v1::ORIGIN_UNSPECIFIED) continue;
    std::optional<domain::Origin> origin = FromProto(api);
    ASSERT_TRUE(origin.has_value()) << values->value(i)->name();
    EXPECT_EQ(ToProto(*origin), api);
    ++seen;
  }
  EXPECT_EQ(seen, 3);
}

TEST(OriginConversionTest, EveryDomainOriginHasAnApiValue) {
  for (domain::Origin origin : {domain::Origin::kInternal,
                                domain::Origin::kLdap, domain::Origin::kSaml}) {
    EXPECT_NE(ToProto(origin), v1::ORIGIN_UNSPECIFIED)
        << domain::OriginName(origin);
    EXPECT_EQ(FromProto(ToProto(origin)), origin);
  }
}

TEST(OriginConversionTest, UnspecifiedAndUnknownValuesAreNoOrigin) {
  EXPECT_EQ(FromProto(v1::ORIGIN_UNSPECIFIED), std::nullopt);
  EXPECT_EQ(FromProto(static_cast<v1::Origin>(42)), std::nullopt);
}

}  // namespace
}  // namespace identity::services
