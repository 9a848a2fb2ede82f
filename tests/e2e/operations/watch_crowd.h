// Health Watch streams opened by the hundred with no credential, as a
// hostile caller would, driven on one completion queue so that the test
// holds no thread per stream either.
#ifndef IDENTITY_TESTS_E2E_OPERATIONS_WATCH_CROWD_H_
#define IDENTITY_TESTS_E2E_OPERATIONS_WATCH_CROWD_H_

#include <grpcpp/channel.h>
#include <grpcpp/completion_queue.h>

#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace identity::testing {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// `n` Watch streams opened at once; closed when the crowd goes.
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

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_E2E_OPERATIONS_WATCH_CROWD_H_
