// A value worked out from its owner once, on first use, and kept with it:
// for owners that do not change once shared, such as a principal that
// answers every call its cached credential makes.
#ifndef IDENTITY_COMMON_MEMO_H_
#define IDENTITY_COMMON_MEMO_H_

#include <atomic>
#include <memory>

namespace identity {

template <typename T>
class Memo {
 public:
  Memo() = default;
  // A copy or a move of the owner starts without the value: unlike the
  // original, the copy may still be changed before it is shared.
  Memo(const Memo&) {}
  Memo(Memo&&) noexcept {}
  Memo& operator=(const Memo&) {
    Reset();
    return *this;
  }
  Memo& operator=(Memo&&) noexcept {
    Reset();
    return *this;
  }
  ~Memo() { Reset(); }

  // The value, made by `make()` on the first call. Callers that race on the
  // first call may each make one; all of them get the one kept first, so
  // `make` must give the same value every time.
  template <typename Make>
  const T& Get(Make make) const {
    const T* held = value_.load(std::memory_order_acquire);
    if (held != nullptr) return *held;
    auto made = std::make_unique<const T>(make());
    if (value_.compare_exchange_strong(held, made.get(),
                                       std::memory_order_acq_rel)) {
      return *made.release();
    }
    return *held;  // the racer's, kept first
  }

 private:
  void Reset() { delete value_.exchange(nullptr, std::memory_order_acq_rel); }

  mutable std::atomic<const T*> value_{nullptr};
};

}  // namespace identity

#endif  // IDENTITY_COMMON_MEMO_H_
