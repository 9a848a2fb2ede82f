// A caller's peer is read from its source only when asked, and a copy of
// the caller keeps it after the source is gone.
#include <memory>
#include <string>

#include "domain/principal.h"
#include "gtest/gtest.h"

namespace identity {
namespace {

class CountingSource final : public PeerSource {
 public:
  const std::string& Peer() const override {
    ++reads;
    return peer;
  }

  std::string peer = "ipv4:203.0.113.7:41234";
  mutable int reads = 0;
};

TEST(CallerTest, ThePeerIsReadOnlyWhenAsked) {
  CountingSource source;
  const Caller caller(nullptr, &source);
  EXPECT_EQ(source.reads, 0);
  EXPECT_EQ(caller.peer(), "ipv4:203.0.113.7:41234");
  EXPECT_EQ(source.reads, 1);
}

TEST(CallerTest, ACopyKeepsThePeerAfterItsSourceIsGone) {
  auto source = std::make_unique<CountingSource>();
  const Caller caller(nullptr, source.get());
  Caller copy = caller;
  Caller assigned(nullptr, "before");
  assigned = caller;
  source.reset();
  EXPECT_EQ(copy.peer(), "ipv4:203.0.113.7:41234");
  EXPECT_EQ(assigned.peer(), "ipv4:203.0.113.7:41234");
  EXPECT_EQ(Caller(nullptr, "198.51.100.4").peer(), "198.51.100.4");
  EXPECT_EQ(Caller().peer(), "");
}

}  // namespace
}  // namespace identity
