#include "providers/saml/saml_metadata.h"

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "providers/saml/lasso_headers.h"
#include "providers/saml/saml_keys.h"
#include "providers/saml/saml_xml.h"

namespace identity::saml {
namespace {

constexpr char kMd[] = "urn:oasis:names:tc:SAML:2.0:metadata";
constexpr char kDs[] = "http://www.w3.org/2000/09/xmldsig#";
constexpr char kRsaSha1[] = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
constexpr char kSha1[] = "http://www.w3.org/2000/09/xmldsig#sha1";

absl::Status Refused(absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("saml.idp_metadata_url: ", reason));
}

struct KeyUnref {
  void operator()(LassoKey* k) const { lasso_node_destroy(LASSO_NODE(k)); }
};

// Only what SAML metadata signing uses: the enveloped-signature transform
// and exclusive canonicalization; nothing that selects content.
bool KnownTransforms(const xmlNode* signature) {
  const xmlNode* info = Child(signature, kDs, "SignedInfo");
  const std::string c14n =
      Attr(Child(info, kDs, "CanonicalizationMethod"), "Algorithm");
  if (c14n != "http://www.w3.org/2001/10/xml-exc-c14n#") return false;
  for (const xmlNode* t :
       Children(Child(Child(info, kDs, "Reference"), kDs, "Transforms"), kDs,
                "Transform")) {
    const std::string a = Attr(t, "Algorithm");
    if (a != "http://www.w3.org/2000/09/xmldsig#enveloped-signature" &&
        a != "http://www.w3.org/2001/10/xml-exc-c14n#") {
      return false;
    }
  }
  return true;
}

// Elements carrying `id` as their ID: a second one could be what the
// signature's reference resolves to (signature wrapping).
int CountIds(const xmlNode* n, const std::string& id) {
  int count = 0;
  for (; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (Attr(n, "ID") == id) ++count;
    count += CountIds(n->children, id);
  }
  return count;
}

}  // namespace

absl::Status CheckMetadataSignature(const std::string& xml,
                                    const std::string& certificate_pem,
                                    bool allow_sha1) {
  if (certificate_pem.empty()) return absl::OkStatus();
  absl::StatusOr<XmlDoc> doc = ParseXml(xml);
  if (!doc.ok()) return Refused(doc.status().message());
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!Is(root, kMd, "EntityDescriptor")) {
    return Refused("the document is not one md:EntityDescriptor");
  }
  std::vector<xmlNode*> signatures = Children(root, kDs, "Signature");
  if (signatures.empty()) {
    return Refused(
        "the metadata document is not signed, but "
        "idp_metadata_signing_certificate_pem requires a signature by that "
        "certificate (clear it to trust the HTTPS server alone)");
  }
  const xmlNode* info = Child(signatures[0], kDs, "SignedInfo");
  const std::string id = Attr(root, "ID");
  if (signatures.size() != 1 || id.empty() ||
      Children(info, kDs, "Reference").size() != 1 ||
      Attr(Child(info, kDs, "Reference"), "URI") != "#" + id ||
      !KnownTransforms(signatures[0]) || CountIds(root, id) != 1) {
    return Refused(
        "the metadata signature must be one enveloped signature of the "
        "EntityDescriptor, referencing its ID, with exclusive c14n");
  }
  const std::string method =
      Attr(Child(info, kDs, "SignatureMethod"), "Algorithm");
  const std::string digest = Attr(
      Child(Child(info, kDs, "Reference"), kDs, "DigestMethod"), "Algorithm");
  if ((method == kRsaSha1 || digest == kSha1) && !allow_sha1) {
    return Refused(
        "the metadata is signed with SHA-1, which is refused unless "
        "allow_sha1_signatures is on");
  }
  std::unique_ptr<LassoKey, KeyUnref> key(
      lasso_key_new_for_signature_from_memory(
          certificate_pem.data(), certificate_pem.size(), nullptr,
          LASSO_SIGNATURE_METHOD_RSA_SHA256, nullptr));
  if (key == nullptr) {
    return Refused("idp_metadata_signing_certificate_pem is unusable");
  }
  if (lasso_key_saml2_xml_verify(key.get(), const_cast<char*>(id.c_str()),
                                 root) != 0) {
    return Refused(
        "the metadata signature does not verify with "
        "idp_metadata_signing_certificate_pem");
  }
  return absl::OkStatus();
}

absl::Status ValidateMetadataSource(const SamlProviderConfig& c) {
  auto invalid = [](absl::string_view field, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("saml.", field, ": ", what));
  };
  if (c.idp_metadata_url.empty()) {
    if (c.idp_metadata_xml.empty()) {
      return invalid("idp_metadata_xml",
                     "required (or give idp_metadata_url to fetch it)");
    }
    if (!c.idp_metadata_ca_pem.empty() ||
        !c.idp_metadata_signing_certificate_pem.empty()) {
      return invalid(c.idp_metadata_ca_pem.empty()
                         ? "idp_metadata_signing_certificate_pem"
                         : "idp_metadata_ca_pem",
                     "only used with idp_metadata_url");
    }
    return absl::OkStatus();
  }
  absl::Status url = CheckMetadataUrl(c.idp_metadata_url);
  if (!url.ok()) return url;
  if (c.idp_metadata_ca_pem.size() > 64 * 1024 ||
      (!c.idp_metadata_ca_pem.empty() &&
       !CertificateNotAfter(c.idp_metadata_ca_pem).ok())) {
    return invalid("idp_metadata_ca_pem",
                   "PEM CA certificates (at most 64 KiB) that issued the "
                   "metadata server's certificate, or empty for the system "
                   "store");
  }
  if (!c.idp_metadata_signing_certificate_pem.empty() &&
      !CertificateNotAfter(c.idp_metadata_signing_certificate_pem).ok()) {
    return invalid("idp_metadata_signing_certificate_pem",
                   "not a PEM certificate");
  }
  return absl::OkStatus();
}

absl::StatusOr<FetchedMetadata> LoadMetadataFromUrl(
    const SamlProviderConfig& c, const MetadataFetchOptions& options) {
  absl::StatusOr<std::string> body =
      FetchMetadata(c.idp_metadata_url, c.idp_metadata_ca_pem, options);
  if (!body.ok()) {
    if (absl::StartsWith(body.status().message(), "saml."))
      return body.status();
    return absl::Status(
        body.status().code(),
        absl::StrCat("saml.idp_metadata_url: ", body.status().message()));
  }
  // Parsed first: it also initializes lasso and xmlsec for the signature.
  absl::StatusOr<IdpInfo> idp = ReadIdpMetadata(*body);
  if (!idp.ok()) {
    return Refused(absl::StrCat("the document is not usable IdP metadata (",
                                idp.status().message(), ")"));
  }
  absl::Status signature = CheckMetadataSignature(
      *body, c.idp_metadata_signing_certificate_pem, c.allow_sha1_signatures);
  if (!signature.ok()) return signature;
  return FetchedMetadata{*std::move(body), *std::move(idp)};
}

CertificateChange CompareCertificates(const std::vector<std::string>& before,
                                      const std::vector<std::string>& after) {
  CertificateChange change;
  for (const std::string& pem : after) {
    if (std::find(before.begin(), before.end(), pem) == before.end())
      ++change.added;
  }
  for (const std::string& pem : before) {
    if (std::find(after.begin(), after.end(), pem) == after.end())
      ++change.removed;
  }
  return change;
}

}  // namespace identity::saml
