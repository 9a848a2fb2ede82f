#include "providers/saml/saml_metadata_fetch.h"

#include <curl/curl.h>

#include <atomic>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace identity::saml {
namespace {

std::atomic<int> in_flight{0};

// Holds one of the process's fetch slots for its lifetime.
class Slot {
 public:
  explicit Slot(int max) : taken_(in_flight.fetch_add(1) < max) {}
  ~Slot() { in_flight.fetch_sub(1); }
  bool taken() const { return taken_; }

 private:
  const bool taken_;
};

struct Body {
  std::string data;
  size_t max = 0;
  bool too_large = false;
};

// Stops the transfer (curl then fails with CURLE_WRITE_ERROR) as soon as the
// body would pass the limit: a server without Content-Length, or one that
// lies in it, cannot make us buffer more.
size_t Write(char* ptr, size_t size, size_t nmemb, void* user) {
  Body* body = static_cast<Body*>(user);
  const size_t n = size * nmemb;
  if (body->data.size() + n > body->max) {
    body->too_large = true;
    return 0;
  }
  body->data.append(ptr, n);
  return n;
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

absl::Status Failure(CURLcode code, const char* detail, const Body& body,
                     const MetadataFetchOptions& o) {
  const std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  if (body.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the metadata document is larger than ", o.max_bytes / 1024, " KiB"));
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return absl::UnavailableError(
          absl::StrCat("cannot fetch the metadata URL: ", why));
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::FailedPreconditionError(
          "the metadata URL redirected to a URL that is not https://");
    case CURLE_TOO_MANY_REDIRECTS:
      return absl::FailedPreconditionError(absl::StrCat(
          "the metadata URL redirected more than ", o.max_redirects, " times"));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return absl::FailedPreconditionError(absl::StrCat(
          "TLS with the metadata server failed (", why,
          "); if the server's certificate comes from a private CA, give that "
          "CA in idp_metadata_ca_pem"));
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("cannot fetch the metadata URL: ", why));
  }
}

}  // namespace

absl::Status CheckMetadataUrl(const std::string& url) {
  constexpr char kWhat[] =
      "saml.idp_metadata_url: must be an https:// URL (the IdP's federation "
      "metadata address";
  if (!absl::StartsWithIgnoreCase(url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat(kWhat,
                     "); http:// and other schemes are refused because the "
                     "metadata carries the certificates that sign logins"));
  }
  if (url.size() > 2048) {
    return absl::InvalidArgumentError(
        "saml.idp_metadata_url: at most 2048 bytes");
  }
  for (unsigned char ch : url) {
    if (ch <= ' ' || ch == 0x7f) {
      return absl::InvalidArgumentError(
          "saml.idp_metadata_url: spaces and control characters are not "
          "allowed");
    }
  }
  const std::string rest = url.substr(8);
  const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || absl::StrContains(authority, "@")) {
    return absl::InvalidArgumentError(absl::StrCat(
        kWhat, " with a host name and no user name or password in it)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> FetchMetadata(const std::string& url,
                                          const std::string& ca_pem,
                                          const MetadataFetchOptions& o) {
  absl::Status valid = CheckMetadataUrl(url);
  if (!valid.ok()) return valid;
  Slot slot(o.max_concurrent);
  if (!slot.taken()) {
    return absl::UnavailableError(
        "too many IdP metadata fetches are running; try again shortly");
  }
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (curl == nullptr)
    return absl::ResourceExhaustedError("curl_easy_init failed");
  CURL* c = curl.get();
  Body body;
  body.max = o.max_bytes;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, o.max_redirects);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!ca_pem.empty()) {
    curl_blob blob{const_cast<char*>(ca_pem.data()), ca_pem.size(),
                   CURL_BLOB_COPY};
    curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
  }
  curl_easy_setopt(
      c, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(o.connect_timeout)));
  curl_easy_setopt(
      c, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(o.total_timeout)));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(o.max_bytes));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "identityd-saml-metadata");
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) return Failure(code, error, body, o);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return absl::FailedPreconditionError(
        absl::StrCat("the metadata URL answered HTTP ", status));
  }
  return std::move(body.data);
}

}  // namespace identity::saml
