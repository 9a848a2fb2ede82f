// Request and response of a callback method on one protobuf arena per call.
// Without it every sub-message and string of both is a heap allocation of
// its own, freed one by one when the call ends: about fifty for a
// BatchCheckPermissions of twenty checks and its answer. On the arena they
// take space in one block that comes with the call and goes with it.
#ifndef IDENTITY_SERVICES_ARENA_MESSAGES_H_
#define IDENTITY_SERVICES_ARENA_MESSAGES_H_

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

#include <cstddef>

namespace identity::services {

// `kBlockBytes`: the first block, in the same allocation as the holder;
// a call that needs more takes further blocks from the heap.
template <typename Request, typename Response, size_t kBlockBytes>
class ArenaMessages final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder();
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(block_, sizeof(block_)) {
      this->set_request(
          google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(
          google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    // gRPC calls it once the call is over; the arena frees both messages.
    void Release() override { delete this; }

   private:
    alignas(std::max_align_t) char block_[kBlockBytes];
    google::protobuf::Arena arena_;  // after block_, which it starts in
  };
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_ARENA_MESSAGES_H_
