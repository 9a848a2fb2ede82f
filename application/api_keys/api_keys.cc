#include "application/api_keys/api_keys.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "application/page_token.h"
#include "common/cidr.h"
#include "common/crypto.h"
#include "common/error_info.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/credential_format.h"
#include "domain/operations.h"
#include "domain/permissions.h"
#include "domain/roles.h"
#include "domain/validation.h"

namespace identity {
namespace {

absl::Status InvalidKey() {
  return WithReason(
      absl::UnauthenticatedError("invalid, expired or revoked API key"),
      reason::kCredentialInvalid);
}

// The scope must name known permissions that both owner and caller hold.
absl::Status CheckScope(const std::vector<std::string>& scope,
                        const Principal& owner, const Principal& caller) {
  const auto& all = perm::All();
  for (const std::string& p : scope) {
    if (!std::binary_search(all.begin(), all.end(), p)) {
      return absl::InvalidArgumentError(
          absl::StrCat("permissions: unknown permission '", p.substr(0, 64),
                       "'; ListRoles shows the permission names"));
    }
    if (!owner.Has(p) || !caller.Has(p)) {
      return WithReason(
          absl::PermissionDeniedError(absl::StrCat(
              "permissions: cannot grant '", p,
              "': a key's scope must be held by its owner and by the caller")),
          reason::kPermissionMissing,
          {{"field", "permissions"}, {"permission", p}});
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CreatedApiKey> ApiKeyManager::Create(const Caller& caller,
                                                    CreateApiKeyInput in) {
  const Principal& p = *caller.principal;
  if (in.user_id.empty()) in.user_id = p.user.id;
  absl::Status valid = ValidateId("user_id", in.user_id);
  if (valid.ok() && in.name.empty()) {
    valid = absl::InvalidArgumentError("name: required");
  }
  if (valid.ok()) valid = ValidateDisplayName(in.name);
  if (!valid.ok() && absl::StartsWith(valid.message(), "display_name")) {
    valid = absl::InvalidArgumentError(absl::StrCat(
        "name", valid.message().substr(std::string("display_name").size())));
  }
  if (valid.ok() && in.expires_at && *in.expires_at <= absl::Now()) {
    valid = absl::InvalidArgumentError("expires_at: must be in the future");
  }
  // A key made with a key never outlives it: a short-lived rotation key
  // must not mint one that never expires. Asked for without a date, the
  // new key expires with its maker.
  if (valid.ok() && !p.api_key_id.empty() &&
      p.expires_at != absl::InfiniteFuture()) {
    if (!in.expires_at) {
      in.expires_at = p.expires_at;
    } else if (*in.expires_at > p.expires_at) {
      valid = absl::InvalidArgumentError(absl::StrCat(
          "expires_at: a key made with an API key cannot outlive it, and "
          "that key expires at ",
          absl::FormatTime(absl::RFC3339_sec, p.expires_at,
                           absl::UTCTimeZone()),
          "; ask for that time or earlier"));
    }
  }
  if (!valid.ok()) return valid;
  std::sort(in.permissions.begin(), in.permissions.end());
  in.permissions.erase(std::unique(in.permissions.begin(), in.permissions.end()),
                       in.permissions.end());

  absl::StatusOr<domain::User> owner = store_->GetUser(in.user_id);
  if (!owner.ok()) return owner.status();
  absl::Status allowed = Check(op::kCreateApiKey, p,
                               TargetFor(*owner));
  if (!allowed.ok()) return allowed;
  if (!owner->enabled || owner->pending) {
    return absl::FailedPreconditionError(
        "the owner is disabled or has not activated its account yet");
  }
  const Principal holder = PrincipalFor(*owner);
  absl::Status scope = CheckScope(in.permissions, holder, p);
  if (!scope.ok()) return scope;
  // An empty scope follows the owner's permissions wherever they go, so only
  // the owner, signed in, makes such a key. Made by anyone else, or by one
  // of the owner's own keys, a key must not follow them past what its maker
  // holds: the owner promoted later would hand the maker an ADMIN key, and a
  // key scoped to managing keys would mint one without a scope.
  if (in.permissions.empty() &&
      (owner->id != p.user.id || !p.api_key_id.empty())) {
    std::set_intersection(holder.permissions.begin(), holder.permissions.end(),
                          p.permissions.begin(), p.permissions.end(),
                          std::back_inserter(in.permissions));
    if (in.permissions.empty()) {
      // Stored empty, this would read as "everything the owner holds".
      return WithReason(
          absl::PermissionDeniedError(
              "permissions: the owner and the caller hold no permission in "
              "common, so the key would hold nothing; ask its owner or an "
              "administrator who holds what the key needs to make it"),
          reason::kPermissionMissing, {{"field", "permissions"}});
    }
  }

  const std::string prefix = absl::StrCat(
      kKeyPrefix, crypto::Base64UrlEncode(crypto::RandomBytes(6)));
  const std::string secret = absl::StrCat(
      prefix, "_", crypto::Base64UrlEncode(crypto::RandomBytes(kKeySecretBytes)));
  storage::NewApiKey row{owner->id,      in.name,        prefix,
                         crypto::Sha256(secret), in.permissions, in.expires_at};
  absl::StatusOr<domain::ApiKey> key = store_->CreateApiKey(
      row, MakeAudit(caller, "api_key.create", "api_key", "",
                     owner->organization_id,
                     {{"owner_id", owner->id},
                      {"prefix", prefix},
                      {"name", in.name},
                      {"permissions", absl::StrJoin(in.permissions, " ")}}));
  if (!key.ok()) return key.status();
  alerts_->Notify(*owner, SecurityEvent::kApiKeyCreated,
                  absl::StrCat("Key '", in.name, "', prefix ", prefix, "."));
  return CreatedApiKey{secret, *key};
}

absl::StatusOr<ListApiKeysResult> ApiKeyManager::List(
    const Caller& caller, const ListApiKeysInput& in) {
  const Principal& p = *caller.principal;
  storage::ApiKeyListQuery q;
  Target target{p.user.organization_id, p.user.id};
  if (!in.user_id.empty()) {
    absl::Status valid = ValidateId("user_id", in.user_id);
    if (!valid.ok()) return valid;
    absl::StatusOr<domain::User> owner = store_->GetUser(in.user_id);
    if (!owner.ok()) return owner.status();
    q.user_id = owner->id;
    target = TargetFor(*owner);
  } else if (!in.organization_id.empty()) {
    absl::Status valid = ValidateId("organization_id", in.organization_id);
    if (!valid.ok()) return valid;
    q.organization_id = in.organization_id;
    target = Target{in.organization_id};
  } else if (p.Has(perm::kApiKeysManage)) {
    if (!p.global) q.organization_id = p.user.organization_id;
    target = Target{p.user.organization_id};
  } else {
    q.user_id = p.user.id;  // a user without admin rights sees its own
  }
  absl::Status allowed = Check(op::kListApiKeys, p, target);
  if (!allowed.ok()) return allowed;
  absl::Status size = ValidatePageSize(in.page_size, 50, &q.limit);
  if (!size.ok()) return size;
  const std::string filters =
      absl::StrCat("keys|", q.organization_id.value_or("*"), "|",
                   q.user_id.value_or("*"), "|", q.limit);
  absl::StatusOr<std::optional<storage::Cursor>> after =
      DecodePageToken(in.page_token, filters);
  if (!after.ok()) return after.status();
  q.after = *after;
  absl::StatusOr<storage::Page<domain::ApiKey>> page = store_->ListApiKeys(q);
  if (!page.ok()) return page.status();
  if (!q.user_id && !p.global) {
    // Keys of owners the caller could not act on are left out of an
    // organization-wide list (a page may come out shorter; its token still
    // leads on).
    absl::Status kept = KeepCoveredOwners(p, &page->items);
    if (!kept.ok()) return kept;
  }
  ListApiKeysResult out{std::move(page->items), ""};
  if (page->next) out.next_page_token = EncodePageToken(*page->next, filters);
  return out;
}

absl::Status ApiKeyManager::KeepCoveredOwners(
    const Principal& caller, std::vector<domain::ApiKey>* keys) {
  std::map<std::string, bool> covered;
  for (const domain::ApiKey& key : *keys) {
    if (covered.count(key.user_id) > 0) continue;
    absl::StatusOr<domain::User> owner = store_->GetUser(key.user_id);
    if (absl::IsNotFound(owner.status())) {
      covered[key.user_id] = false;
      continue;
    }
    if (!owner.ok()) return owner.status();
    covered[key.user_id] =
        Check(op::kListApiKeys, caller, TargetFor(*owner)).ok();
  }
  keys->erase(std::remove_if(keys->begin(), keys->end(),
                             [&](const domain::ApiKey& k) {
                               return !covered[k.user_id];
                             }),
              keys->end());
  return absl::OkStatus();
}

absl::StatusOr<domain::ApiKey> ApiKeyManager::Revoke(const Caller& caller,
                                                      absl::string_view id) {
  absl::Status valid = ValidateId("id", id);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::ApiKey> key = store_->GetApiKey(id);
  if (!key.ok()) return key.status();
  absl::StatusOr<domain::User> owner = store_->GetUser(key->user_id);
  if (!owner.ok()) return owner.status();
  absl::Status allowed =
      Check(op::kRevokeApiKey, *caller.principal, TargetFor(*owner));
  if (!allowed.ok()) return allowed;
  return store_->RevokeApiKey(
      key->id, MakeAudit(caller, "api_key.revoke", "api_key", key->id,
                         key->organization_id, {{"prefix", key->prefix}}));
}

absl::StatusOr<Principal> ApiKeyManager::Validate(absl::string_view api_key,
                                                  absl::string_view client_ip) {
  if (!IsApiKeyFormat(api_key)) return InvalidKey();
  const std::string digest = crypto::Sha256(api_key);
  const std::string key = cache_ ? cache_->KeyOf(api_key) : "";
  auto load = [&] { return store_->GetApiKeyByDigest(digest); };
  absl::StatusOr<Principal> p = JudgeRow(
      [&](bool fresh, bool* cached) {
        return cache_ ? cache_->ApiKey(key, fresh, load, cached) : load();
      },
      [&](const domain::ApiKeyWithOwner& found) {
        absl::StatusOr<Principal> admitted = Admit(found, client_ip);
        if (admitted.ok()) RecordUse(found, key);
        return admitted;
      });
  if (absl::IsNotFound(p.status())) return InvalidKey();
  return p;
}

std::optional<absl::StatusOr<SharedPrincipal>>
ApiKeyManager::ValidateFromMemory(absl::string_view api_key,
                                  absl::string_view client_ip) {
  if (!IsApiKeyFormat(api_key)) return InvalidKey();
  if (cache_ == nullptr) return std::nullopt;
  const std::string key = cache_->KeyOf(api_key);
  CredentialCache::Held<domain::ApiKeyWithOwner> held = cache_->PeekApiKey(key);
  if (!held.row) return std::nullopt;
  // The last-use write, when due, waits for PostgreSQL: not on this thread.
  // A refusal on a remembered row is confirmed by a fresh read (JudgeRow).
  if (UseDue(*held.row, absl::Now()) || !Usable(*held.row, client_ip).ok()) {
    return std::nullopt;
  }
  SharedPrincipal p = std::move(held.principal);
  if (p == nullptr) {
    p = std::make_shared<const Principal>(PrincipalOf(*held.row));
    cache_->KeepPrincipal(key, held.row, p);
  }
  return p;
}

// Last use is recorded once a minute at most: no write per call.
bool ApiKeyManager::UseDue(const domain::ApiKeyWithOwner& found,
                           absl::Time now) {
  const std::optional<absl::Time>& used = found.key.last_used_at;
  return !used || now - *used >= absl::Seconds(60);
}

void ApiKeyManager::RecordUse(const domain::ApiKeyWithOwner& found,
                              const std::string& cache_key) {
  const absl::Time now = absl::Now();
  if (UseDue(found, now) && store_->TouchApiKey(found.key.id).ok() &&
      cache_ != nullptr) {
    cache_->ApiKeyUsed(cache_key, now);
  }
}

absl::Status ApiKeyManager::Usable(const domain::ApiKeyWithOwner& found,
                                   absl::string_view client_ip) {
  const domain::ApiKey& key = found.key;
  // A lockout protects the owner's password; it does not switch off the
  // owner's integrations (four wrong passwords typed by anyone would).
  if (key.revoked || (key.expires_at && *key.expires_at <= absl::Now()) ||
      !found.owner.enabled || found.owner.pending) {
    return InvalidKey();
  }
  if (!found.trusted_ip_ranges.empty()) {
    if (client_ip.empty()) {
      return WithReason(
          absl::PermissionDeniedError("client_ip: required, the organization "
                                      "accepts API keys only from "
                                      "its trusted IP ranges"),
          reason::kUntrustedAddress, {{"field", "client_ip"}});
    }
    if (!Cidr::Parse(client_ip).ok()) {
      return absl::InvalidArgumentError(
          "client_ip: must be an IPv4 or IPv6 address");
    }
    bool trusted = false;
    for (const std::string& range : found.trusted_ip_ranges) {
      absl::StatusOr<Cidr> cidr = Cidr::Parse(range);
      trusted = trusted || (cidr.ok() && cidr->Contains(client_ip));
    }
    if (!trusted) {
      return WithReason(
          absl::PermissionDeniedError(
              absl::StrCat("client IP ", client_ip.substr(0, 64),
                           " is outside the organization's trusted IP ranges")),
          reason::kUntrustedAddress);
    }
  }
  return absl::OkStatus();
}

Principal ApiKeyManager::PrincipalOf(const domain::ApiKeyWithOwner& found) {
  const domain::ApiKey& key = found.key;
  Principal p = ScopedToKey(PrincipalFor(found.owner), key.permissions);
  p.api_key_id = key.id;
  p.expires_at = key.expires_at.value_or(absl::InfiniteFuture());
  return p;
}

absl::StatusOr<Principal> ApiKeyManager::Admit(
    const domain::ApiKeyWithOwner& found, absl::string_view client_ip) {
  absl::Status refused = Usable(found, client_ip);
  if (!refused.ok()) return refused;
  return PrincipalOf(found);
}

}  // namespace identity
