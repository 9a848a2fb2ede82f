// Session, API key and user lookups kept in memory, so that ValidateToken,
// ValidateApiKey, GetUser and every authenticated RPC cost about what a
// no-op RPC costs instead of a database round trip; and organizations' LDAP
// provider settings, which every LDAP login reads.
//
// Correctness comes from the database's change feed (storage/change_feed.h):
// an entry is dropped as soon as a change to its session, key, user or
// organization is heard, from this replica at commit or from others through
// LISTEN/NOTIFY; a load that raced with a change is not kept; while the feed
// is down, nothing is served from memory and everything is dropped. Only
// lookups that succeeded are kept, and callers re-load before refusing on a
// cached value, so the cache can delay nothing but a repeat database read.
#ifndef IDENTITY_APPLICATION_SESSIONS_CREDENTIAL_CACHE_H_
#define IDENTITY_APPLICATION_SESSIONS_CREDENTIAL_CACHE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/principal.h"
#include "domain/records.h"
#include "storage/change_feed.h"

namespace identity {

class CredentialCache final : public storage::ChangeSink {
 public:
  struct Options {
    absl::Duration ttl = absl::Seconds(60);  // zero: no caching at all
    int max_entries = 100000;  // per kind (sessions, keys, users, providers)
  };
  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t invalidations = 0;  // entries dropped because of a change
    int64_t flushes = 0;        // everything dropped (feed lost, full)
    size_t entries = 0;
    bool live = false;          // the change feed is heard
  };

  explicit CredentialCache(Options options);

  // The key a session token or an API key is held under (KeyOf(token)).
  // PostgreSQL finds a credential by its SHA-256 digest, so that a copy of
  // the database holds no usable credential; in memory the table needs
  // only a key nobody can predict or make collide, which a SipHash under
  // a secret drawn when the cache starts gives for a tenth of the digest's
  // cost, on every validation. 15 of its 16 bytes (120 bits): a key then
  // fits in a std::string without an allocation.
  std::string KeyOf(absl::string_view credential) const;

  // The row held under `key` (KeyOf a credential): from memory when a
  // fresh entry is there (and `fresh` is false; `*cached` then says so),
  // otherwise from `load`.
  absl::StatusOr<domain::SessionWithUser> Session(
      const std::string& key, bool fresh,
      const std::function<absl::StatusOr<domain::SessionWithUser>()>& load,
      bool* cached);
  absl::StatusOr<domain::ApiKeyWithOwner> ApiKey(
      const std::string& key, bool fresh,
      const std::function<absl::StatusOr<domain::ApiKeyWithOwner>()>& load,
      bool* cached);
  // A user row by id, likewise.
  absl::StatusOr<domain::User> User(
      const std::string& id, bool fresh,
      const std::function<absl::StatusOr<domain::User>()>& load, bool* cached);
  // An organization's LDAP provider settings, likewise (dropped by any
  // change to the organization or its provider).
  absl::StatusOr<domain::LdapProviderConfig> LdapProvider(
      const std::string& organization_id,
      const std::function<absl::StatusOr<domain::LdapProviderConfig>()>& load);
  // A held row and the principal built from it, if one was kept
  // (KeepPrincipal); both null when nothing is held.
  template <typename V>
  struct Held {
    std::shared_ptr<const V> row;
    std::shared_ptr<const Principal> principal;
  };
  // The row Session/ApiKey would answer `key` with from memory now, or
  // null (a hit is counted; nothing is loaded). A validation answered on
  // gRPC's callback thread looks once, here, and shares the row rather
  // than copying it.
  Held<domain::SessionWithUser> PeekSession(const std::string& key);
  Held<domain::ApiKeyWithOwner> PeekApiKey(const std::string& key);
  // Keeps `principal`, built from `row` alone, next to the entry of
  // `key` while that entry still holds `row`: the validations that
  // follow share it instead of building it again. It goes with the row
  // (a change, the feed lost, a newer activity time), so it is never older
  // than the row it came from; what a validation judges per call (expiry,
  // idle time, client address, pending steps) stays the caller's to judge.
  void KeepPrincipal(const std::string& key,
                     const std::shared_ptr<const domain::SessionWithUser>& row,
                     std::shared_ptr<const Principal> principal);
  void KeepPrincipal(const std::string& key,
                     const std::shared_ptr<const domain::ApiKeyWithOwner>& row,
                     std::shared_ptr<const Principal> principal);
  // Keeps a cached session's activity time in step after it was written.
  void SessionTouched(const std::string& key, absl::Time at);
  // Likewise for an API key's last use.
  void ApiKeyUsed(const std::string& key, absl::Time at);

  void OnChanges(const std::vector<storage::Change>& changes) override;
  void OnFeedState(bool live) override;

  Stats stats() const;

 private:
  template <typename V>
  struct Table {
    struct Entry {
      std::shared_ptr<const V> value;  // shared with readers, never changed
      absl::Time loaded;
      std::string credential_id, user_id, organization_id;
      // Built from `value` (sessions and keys), null until kept.
      std::shared_ptr<const Principal> principal = nullptr;
    };
    std::map<std::string, Entry> entries;  // by key
    std::map<std::string, std::set<std::string>> by_credential, by_user,
        by_organization;
  };

  template <typename V>
  absl::StatusOr<V> Lookup(Table<V>& table, const std::string& key, bool fresh,
                           const std::function<absl::StatusOr<V>()>& load,
                           bool* cached);
  template <typename V>
  Held<V> Peek(const Table<V>& table, const std::string& key);
  template <typename V>
  void Keep(Table<V>& table, const std::string& key,
            const std::shared_ptr<const V>& row,
            std::shared_ptr<const Principal> principal);
  // The fresh entry for `key` (counted as a hit), or null while the feed
  // is down, when there is none or when it is older than the TTL.
  template <typename V>
  const typename Table<V>::Entry* HeldLocked(const Table<V>& table,
                                             const std::string& key)
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  template <typename V>
  void Insert(Table<V>& table, const std::string& key, const V& value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  template <typename V>
  void Drop(Table<V>& table, storage::Change::Kind kind, const std::string& id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FlushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const std::string hash_key_;  // KeyOf's secret, never leaves the process
  mutable absl::Mutex mu_;
  Table<domain::SessionWithUser> sessions_ ABSL_GUARDED_BY(mu_);
  Table<domain::ApiKeyWithOwner> keys_ ABSL_GUARDED_BY(mu_);
  Table<domain::User> users_ ABSL_GUARDED_BY(mu_);  // by user id
  // By organization id.
  Table<domain::LdapProviderConfig> ldap_providers_ ABSL_GUARDED_BY(mu_);
  bool live_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // bumped by every change
  int64_t invalidations_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t flushes_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

// How every reader uses the cache: `read(fresh, &cached)` returns the row
// (from memory when it can unless `fresh`), `judge(row)` decides. A refusal
// judged on a remembered row is judged again on a fresh read, since the row
// may predate a change not heard yet (an idle timer another replica reset, a
// lock that ran out): the cache delays nothing but a repeat database read.
template <typename Read, typename Judge>
auto JudgeRow(const Read& read, const Judge& judge)
    -> decltype(judge(*read(false, static_cast<bool*>(nullptr)))) {
  bool cached = false;
  auto row = read(false, &cached);
  if (!row.ok()) return row.status();
  auto verdict = judge(*row);
  if (verdict.ok() || !cached) return verdict;
  row = read(true, &cached);
  if (!row.ok()) return row.status();
  return judge(*row);
}

}  // namespace identity

#endif  // IDENTITY_APPLICATION_SESSIONS_CREDENTIAL_CACHE_H_
