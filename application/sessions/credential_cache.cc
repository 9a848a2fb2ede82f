#include "application/sessions/credential_cache.h"

#include <array>

#include "absl/time/clock.h"
#include "common/crypto.h"

namespace identity {
namespace {

struct Ids {
  std::string credential, user, organization;
};

Ids IdsOf(const domain::SessionWithUser& s) {
  return {s.session.id, s.user.id, s.user.organization_id};
}
Ids IdsOf(const domain::ApiKeyWithOwner& k) {
  return {k.key.id, k.owner.id, k.owner.organization_id};
}
Ids IdsOf(const domain::User& u) { return {u.id, u.id, u.organization_id}; }
Ids IdsOf(const domain::LdapProviderConfig& p) {
  return {p.organization_id, "", p.organization_id};
}

void Unindex(std::map<std::string, std::set<std::string>>& index,
             const std::string& id, const std::string& key) {
  auto it = index.find(id);
  if (it == index.end()) return;
  it->second.erase(key);
  if (it->second.empty()) index.erase(it);
}

}  // namespace

CredentialCache::CredentialCache(Options options)
    : options_(options),
      hash_key_(crypto::RandomBytes(crypto::kSipHashKeyBytes)) {}

std::string CredentialCache::KeyOf(absl::string_view credential) const {
  const std::array<unsigned char, 16> hash =
      crypto::SipHash128(hash_key_, credential);
  return std::string(reinterpret_cast<const char*>(hash.data()), 15);
}

template <typename V>
absl::StatusOr<V> CredentialCache::Lookup(
    Table<V>& table, const std::string& key, bool fresh,
    const std::function<absl::StatusOr<V>()>& load, bool* cached) {
  *cached = false;
  if (options_.ttl <= absl::ZeroDuration()) return load();
  uint64_t generation;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (!fresh) {
      if (const auto* held = HeldLocked(table, key)) {
        *cached = true;
        return *held->value;
      }
    }
    generation = generation_;
  }
  ++misses_;
  absl::StatusOr<V> loaded = load();
  if (!loaded.ok()) return loaded;
  absl::MutexLock lock(&mu_);
  // A change heard while loading may be newer than what was read.
  if (live_ && generation == generation_) Insert(table, key, *loaded);
  return loaded;
}

template <typename V>
const typename CredentialCache::Table<V>::Entry* CredentialCache::HeldLocked(
    const Table<V>& table, const std::string& key) {
  if (!live_) return nullptr;
  auto it = table.entries.find(key);
  if (it == table.entries.end() ||
      absl::Now() - it->second.loaded >= options_.ttl) {
    return nullptr;
  }
  ++hits_;
  return &it->second;
}

template <typename V>
CredentialCache::Held<V> CredentialCache::Peek(const Table<V>& table,
                                               const std::string& key) {
  if (options_.ttl <= absl::ZeroDuration()) return {};
  absl::ReaderMutexLock lock(&mu_);
  const auto* held = HeldLocked(table, key);
  if (held == nullptr) return {};
  return {held->value, held->principal};
}

CredentialCache::Held<domain::SessionWithUser> CredentialCache::PeekSession(
    const std::string& key) {
  return Peek(sessions_, key);
}

CredentialCache::Held<domain::ApiKeyWithOwner> CredentialCache::PeekApiKey(
    const std::string& key) {
  return Peek(keys_, key);
}

template <typename V>
void CredentialCache::Keep(Table<V>& table, const std::string& key,
                           const std::shared_ptr<const V>& row,
                           std::shared_ptr<const Principal> principal) {
  absl::MutexLock lock(&mu_);
  auto it = table.entries.find(key);
  // Dropped or replaced since it was read: the principal may be stale.
  if (it == table.entries.end() || it->second.value != row) return;
  it->second.principal = std::move(principal);
}

void CredentialCache::KeepPrincipal(
    const std::string& key,
    const std::shared_ptr<const domain::SessionWithUser>& row,
    std::shared_ptr<const Principal> principal) {
  Keep(sessions_, key, row, std::move(principal));
}

void CredentialCache::KeepPrincipal(
    const std::string& key,
    const std::shared_ptr<const domain::ApiKeyWithOwner>& row,
    std::shared_ptr<const Principal> principal) {
  Keep(keys_, key, row, std::move(principal));
}

template <typename V>
void CredentialCache::Insert(Table<V>& table, const std::string& key,
                             const V& value) {
  if (table.entries.size() >= static_cast<size_t>(options_.max_entries) &&
      table.entries.count(key) == 0) {
    // Rare (sized for every live credential): start over rather than track
    // recency on the hot path.
    table = Table<V>();
    ++flushes_;
  }
  const Ids ids = IdsOf(value);
  auto& entry = table.entries[key];
  entry = {std::make_shared<const V>(value), absl::Now(), ids.credential,
           ids.user, ids.organization};
  table.by_credential[ids.credential].insert(key);
  table.by_user[ids.user].insert(key);
  table.by_organization[ids.organization].insert(key);
}

template <typename V>
void CredentialCache::Drop(Table<V>& table, storage::Change::Kind kind,
                           const std::string& id) {
  using Kind = storage::Change::Kind;
  auto& index = kind == Kind::kUser           ? table.by_user
                : kind == Kind::kOrganization ? table.by_organization
                                              : table.by_credential;
  auto found = index.find(id);
  if (found == index.end()) return;
  const std::set<std::string> held_keys = found->second;
  for (const std::string& key : held_keys) {
    auto it = table.entries.find(key);
    if (it == table.entries.end()) continue;
    Unindex(table.by_credential, it->second.credential_id, key);
    Unindex(table.by_user, it->second.user_id, key);
    Unindex(table.by_organization, it->second.organization_id, key);
    table.entries.erase(it);
    ++invalidations_;
  }
}

absl::StatusOr<domain::SessionWithUser> CredentialCache::Session(
    const std::string& key, bool fresh,
    const std::function<absl::StatusOr<domain::SessionWithUser>()>& load,
    bool* cached) {
  return Lookup(sessions_, key, fresh, load, cached);
}

absl::StatusOr<domain::ApiKeyWithOwner> CredentialCache::ApiKey(
    const std::string& key, bool fresh,
    const std::function<absl::StatusOr<domain::ApiKeyWithOwner>()>& load,
    bool* cached) {
  return Lookup(keys_, key, fresh, load, cached);
}

absl::StatusOr<domain::User> CredentialCache::User(
    const std::string& id, bool fresh,
    const std::function<absl::StatusOr<domain::User>()>& load, bool* cached) {
  absl::StatusOr<domain::User> user = Lookup(users_, id, fresh, load, cached);
  // A temporary lock runs out with no change to hear: the database computes
  // `locked` against its clock when loading, the cache against ours.
  if (user.ok() && *cached && user->locked && user->locked_until &&
      *user->locked_until <= absl::Now()) {
    user->locked = false;
  }
  return user;
}

absl::StatusOr<domain::LdapProviderConfig> CredentialCache::LdapProvider(
    const std::string& organization_id,
    const std::function<absl::StatusOr<domain::LdapProviderConfig>()>& load) {
  bool cached = false;
  return Lookup(ldap_providers_, organization_id, false, load, &cached);
}

void CredentialCache::SessionTouched(const std::string& key, absl::Time at) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.entries.find(key);
  if (it == sessions_.entries.end()) return;
  // Readers may hold the row: a changed copy replaces it.
  auto row = std::make_shared<domain::SessionWithUser>(*it->second.value);
  row->session.last_seen_at = at;
  it->second.value = std::move(row);
  it->second.principal = nullptr;  // kept only next to the row it came from
}

void CredentialCache::ApiKeyUsed(const std::string& key, absl::Time at) {
  absl::MutexLock lock(&mu_);
  auto it = keys_.entries.find(key);
  if (it == keys_.entries.end()) return;
  auto row = std::make_shared<domain::ApiKeyWithOwner>(*it->second.value);
  row->key.last_used_at = at;
  it->second.value = std::move(row);
  it->second.principal = nullptr;
}

void CredentialCache::OnChanges(const std::vector<storage::Change>& changes) {
  using Kind = storage::Change::Kind;
  absl::MutexLock lock(&mu_);
  ++generation_;
  for (const storage::Change& c : changes) {
    if (c.kind == Kind::kProviderSettings) {
      // The settings alone: the organization's credentials stay valid.
      Drop(ldap_providers_, Kind::kOrganization, c.id);
      continue;
    }
    if (c.kind != Kind::kApiKey) Drop(sessions_, c.kind, c.id);
    if (c.kind != Kind::kSession) Drop(keys_, c.kind, c.id);
    if (c.kind == Kind::kUser || c.kind == Kind::kOrganization) {
      Drop(users_, c.kind, c.id);
    }
    if (c.kind == Kind::kOrganization) Drop(ldap_providers_, c.kind, c.id);
  }
}

void CredentialCache::OnFeedState(bool live) {
  absl::MutexLock lock(&mu_);
  ++generation_;
  live_ = live;
  FlushLocked();
}

void CredentialCache::FlushLocked() {
  sessions_ = Table<domain::SessionWithUser>();
  keys_ = Table<domain::ApiKeyWithOwner>();
  users_ = Table<domain::User>();
  ldap_providers_ = Table<domain::LdapProviderConfig>();
  ++flushes_;
}

CredentialCache::Stats CredentialCache::stats() const {
  absl::ReaderMutexLock lock(&mu_);
  Stats s;
  s.hits = hits_.load();
  s.misses = misses_.load();
  s.invalidations = invalidations_;
  s.flushes = flushes_;
  s.entries = sessions_.entries.size() + keys_.entries.size() +
              users_.entries.size() + ldap_providers_.entries.size();
  s.live = live_;
  return s;
}

}  // namespace identity
