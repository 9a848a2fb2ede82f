// What a hostile or merely numerous caller can do to the server's capacity:
// open health watches by the hundred, flood calls past the thread count.
// Each fence is checked against the real binary, and so is the code of each
// refusal.
#include <grpcpp/completion_queue.h>

#include <chrono>
#include <map>
#include <thread>

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// `n` Watch streams opened at once with no credential, driven on one
// completion queue so that the test holds no thread per stream either.
class WatchCrowd {
 public:
  WatchCrowd(std::shared_ptr<grpc::Channel> channel, int n)
      : stub_(Health::NewStub(channel)), streams_(n) {
    for (int i = 0; i < n; ++i) {
      Stream& s = streams_[i];
      s.ctx.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(120));
      s.reader = stub_->PrepareAsyncWatch(&s.ctx, HealthCheckRequest(), &cq_);
      s.reader->StartCall(Tag(i, kStart));
    }
  }

  ~WatchCrowd() {
    for (Stream& s : streams_) s.ctx.TryCancel();
    while (Ended() < static_cast<int>(streams_.size()) &&
           Step(absl::Seconds(30))) {
    }
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  // Until every stream has had its first answer or has ended.
  void WaitForFirstAnswers(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (Answered() + Ended() < static_cast<int>(streams_.size()) &&
           Step(deadline - absl::Now())) {
    }
  }

  // Streams open and told SERVING.
  int Serving() const {
    int n = 0;
    for (const Stream& s : streams_) {
      n += s.answered && !s.ended && s.last == HealthCheckResponse::SERVING;
    }
    return n;
  }
  // Ended streams by status code.
  std::map<grpc::StatusCode, int> Ends() const {
    std::map<grpc::StatusCode, int> out;
    for (const Stream& s : streams_) {
      if (s.ended) ++out[s.status.error_code()];
    }
    return out;
  }

 private:
  enum Op { kStart, kRead, kFinish };
  struct Stream {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientAsyncReader<HealthCheckResponse>> reader;
    HealthCheckResponse resp;
    HealthCheckResponse::ServingStatus last = HealthCheckResponse::UNKNOWN;
    grpc::Status status;
    bool answered = false;
    bool ended = false;
  };
  static void* Tag(int i, Op op) {
    return reinterpret_cast<void*>(static_cast<intptr_t>(i * 4 + op));
  }

  int Answered() const {
    int n = 0;
    for (const Stream& s : streams_) n += s.answered && !s.ended;
    return n;
  }
  int Ended() const {
    int n = 0;
    for (const Stream& s : streams_) n += s.ended;
    return n;
  }

  // Handles one event; false when the time ran out.
  bool Step(absl::Duration timeout) {
    void* tag;
    bool ok;
    if (cq_.AsyncNext(&tag, &ok, absl::ToChronoTime(absl::Now() + timeout)) !=
        grpc::CompletionQueue::GOT_EVENT) {
      return false;
    }
    const intptr_t t = reinterpret_cast<intptr_t>(tag);
    Stream& s = streams_[t / 4];
    switch (static_cast<Op>(t % 4)) {
      case kStart:
      case kRead:
        if (static_cast<Op>(t % 4) == kRead && ok) {
          s.answered = true;
          s.last = s.resp.status();
        }
        if (ok) {
          s.reader->Read(&s.resp, Tag(t / 4, kRead));
        } else {
          s.reader->Finish(&s.status, Tag(t / 4, kFinish));
        }
        break;
      case kFinish:
        s.ended = true;
        break;
    }
    return true;
  }

  std::unique_ptr<Health::Stub> stub_;
  grpc::CompletionQueue cq_;
  std::vector<Stream> streams_;
};

class OverloadE2eTest : public E2eTest {
 public:
  static constexpr int kMaxWatches = 100;
  static void SetUpTestSuite() {
    // The default IDENTITY_RPC_MAX_THREADS (64) stays: the watches below
    // outnumber the server's threads.
    ExtraEnv() = {{"IDENTITY_HEALTH_MAX_WATCHES", std::to_string(kMaxWatches)}};
    E2eTest::SetUpTestSuite();
  }
};

// Time one call takes.
template <typename F>
absl::Duration Timed(F f) {
  const absl::Time start = absl::Now();
  f();
  return absl::Now() - start;
}

TEST_F(OverloadE2eTest, WatchStreamsBeyondTheThreadCountDoNotBlockLogins) {
  const std::string token = AdminToken();
  WatchCrowd crowd(server().NewChannel(), kMaxWatches + 20);
  crowd.WaitForFirstAnswers(absl::Seconds(30));
  EXPECT_EQ(crowd.Serving(), kMaxWatches)
      << "every watch under the cap is open";
  const std::map<grpc::StatusCode, int> ends = crowd.Ends();
  EXPECT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends.count(grpc::StatusCode::RESOURCE_EXHAUSTED)
                ? ends.at(grpc::StatusCode::RESOURCE_EXHAUSTED)
                : 0,
            20)
      << "watches over the cap end at once with RESOURCE_EXHAUSTED";

  grpc::Status login;
  const absl::Duration login_time = Timed([&] {
    login = TryLogin(server().options().admin_username,
                     server().options().admin_password);
  });
  EXPECT_TRUE(login.ok()) << login.error_code() << " " << login.error_message();
  EXPECT_LT(login_time, absl::Seconds(2));
  grpc::Status validated;
  const absl::Duration validate_time =
      Timed([&] { PrincipalOf(token, &validated); });
  EXPECT_TRUE(validated.ok())
      << validated.error_code() << " " << validated.error_message();
  EXPECT_LT(validate_time, absl::Seconds(1));
}

// Streams closed by their callers free their places (the server learns of
// a cancellation asynchronously, hence the retries).
int ServingAfterRetries(const IdentitydServer& server, int n) {
  int serving = 0;
  for (int attempt = 0; attempt < 50 && serving != n; ++attempt) {
    if (attempt > 0) absl::SleepFor(absl::Milliseconds(100));
    WatchCrowd crowd(server.NewChannel(), n);
    crowd.WaitForFirstAnswers(absl::Seconds(10));
    serving = crowd.Serving();
  }
  return serving;
}

TEST_F(OverloadE2eTest, AClosedWatchFreesItsPlaceUnderTheCap) {
  EXPECT_EQ(ServingAfterRetries(server(), kMaxWatches), kMaxWatches);
  {
    WatchCrowd full(server().NewChannel(), kMaxWatches + 1);
    full.WaitForFirstAnswers(absl::Seconds(30));
    EXPECT_LE(full.Serving(), kMaxWatches) << "the cap holds";
    EXPECT_GE(full.Ends()[grpc::StatusCode::RESOURCE_EXHAUSTED], 1);
  }
  EXPECT_EQ(ServingAfterRetries(server(), kMaxWatches), kMaxWatches)
      << "closed watches gave their places back";
}

}  // namespace
}  // namespace identity::testing
