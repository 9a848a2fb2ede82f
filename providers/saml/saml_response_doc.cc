#include "providers/saml/saml_response_doc.h"

#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "providers/saml/lasso_headers.h"
#include "providers/saml/saml_decrypt.h"

namespace identity::saml {
namespace {

constexpr char kSaml[] = "urn:oasis:names:tc:SAML:2.0:assertion";
constexpr char kSamlp[] = "urn:oasis:names:tc:SAML:2.0:protocol";
constexpr char kDs[] = "http://www.w3.org/2000/09/xmldsig#";
constexpr char kSuccess[] = "urn:oasis:names:tc:SAML:2.0:status:Success";
constexpr char kBearer[] = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
constexpr char kRsaSha1[] = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
constexpr char kSha1[] = "http://www.w3.org/2000/09/xmldsig#sha1";

// What xmlsec may run over the signed bytes: canonicalization and the
// enveloped-signature transform, nothing that selects or rewrites content
// (XPath, XSLT).
const std::set<std::string>& Transforms() {
  static const auto* set = new std::set<std::string>{
      "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
      "http://www.w3.org/2001/10/xml-exc-c14n#",
      "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
      "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
      "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"};
  return *set;
}
const std::set<std::string>& SignatureMethods() {
  static const auto* set = new std::set<std::string>{
      kRsaSha1, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
      "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
      "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"};
  return *set;
}
const std::set<std::string>& DigestMethods() {
  static const auto* set = new std::set<std::string>{
      kSha1, "http://www.w3.org/2001/04/xmlenc#sha256",
      "http://www.w3.org/2001/04/xmldsig-more#sha384",
      "http://www.w3.org/2001/04/xmlenc#sha512"};
  return *set;
}

absl::Status Refused(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

// The text of an element read whole: its text and CDATA children joined,
// comments and processing instructions skipped, as exclusive c14n without
// comments (what the signature covers) sees it. nullopt when the element
// holds elements: not a text value.
std::optional<std::string> WholeText(const xmlNode* n) {
  std::string out;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    switch (c->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (c->content != nullptr)
          out += reinterpret_cast<const char*>(c->content);
        break;
      case XML_COMMENT_NODE:
      case XML_PI_NODE:
        break;
      default:
        return std::nullopt;
    }
  }
  return out;
}

std::optional<absl::Time> ParseTime(const std::string& text) {
  if (text.empty()) return std::nullopt;
  absl::Time t;
  std::string err;
  // xs:dateTime in UTC, with or without fractional seconds.
  if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", text, &t, &err)) return t;
  return absl::InfinitePast();  // present but unreadable: fails every check
}

struct Walk {
  std::vector<xmlNode*> assertions;
  std::vector<xmlNode*> signatures;
  std::set<std::string> ids;
  bool duplicate_id = false;
  std::vector<xmlNode*> encrypted;
};

void Visit(xmlNode* n, Walk* w) {
  for (; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (Is(n, kSaml, "Assertion")) w->assertions.push_back(n);
    if (Is(n, kSaml, "EncryptedAssertion")) w->encrypted.push_back(n);
    if (Is(n, kDs, "Signature")) w->signatures.push_back(n);
    if (xmlHasProp(n, BAD_CAST "ID") != nullptr &&
        !w->ids.insert(Attr(n, "ID")).second) {
      w->duplicate_id = true;
    }
    // libxml2 resolves a Reference to an xml:id as well: one that repeats
    // an ID could stand in for the element it names.
    if (xmlChar* xml_id = xmlGetNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE)) {
      if (!w->ids.insert(reinterpret_cast<const char*>(xml_id)).second) {
        w->duplicate_id = true;
      }
      xmlFree(xml_id);
    }
    Visit(n->children, w);
  }
}

// One enveloped signature of `signed_node` as SAML profiles XML-DSig: one
// Reference, to the element's own ID, with known transforms only.
absl::Status CheckSignatureShape(const xmlNode* signature,
                                 const xmlNode* signed_node,
                                 absl::string_view what) {
  const xmlNode* info = Child(signature, kDs, "SignedInfo");
  std::vector<xmlNode*> refs = Children(info, kDs, "Reference");
  if (refs.size() != 1) {
    return Refused(absl::StrCat("the ", what,
                                " signature must have exactly one Reference"));
  }
  const std::string id = Attr(signed_node, "ID");
  if (id.empty() || Attr(refs[0], "URI") != "#" + id) {
    return Refused(absl::StrCat("the ", what,
                                " signature does not reference the ", what,
                                " (possible signature wrapping)"));
  }
  if (!Transforms().count(
          Attr(Child(info, kDs, "CanonicalizationMethod"), "Algorithm"))) {
    return Refused(absl::StrCat("the ", what,
                                " signature uses an unknown canonicalization"));
  }
  for (const xmlNode* t :
       Children(Child(refs[0], kDs, "Transforms"), kDs, "Transform")) {
    if (!Transforms().count(Attr(t, "Algorithm"))) {
      return Refused(
          absl::StrCat("the ", what, " signature uses the transform ",
                       Attr(t, "Algorithm"), ", which is not accepted"));
    }
  }
  return absl::OkStatus();
}

struct KeyUnref {
  void operator()(LassoKey* k) const { lasso_node_destroy(LASSO_NODE(k)); }
};

// The subject's NameID and its bearer confirmation (recipient, request,
// lifetime), all inside the Assertion the signature covers.
absl::Status ReadSubject(const xmlNode* a, SamlAssertion* out) {
  const xmlNode* subject = Child(a, kSaml, "Subject");
  if (const xmlNode* name_id = Child(subject, kSaml, "NameID");
      name_id != nullptr) {
    std::optional<std::string> text = WholeText(name_id);
    if (!text) return Refused("a NameID holding elements");
    out->name_id = *text;
    out->name_id_format = Attr(name_id, "Format");
  }
  for (const xmlNode* c : Children(subject, kSaml, "SubjectConfirmation")) {
    if (Attr(c, "Method") != kBearer) continue;
    const xmlNode* data = Child(c, kSaml, "SubjectConfirmationData");
    out->recipient = Attr(data, "Recipient");
    out->subject_in_response_to = Attr(data, "InResponseTo");
    out->subject_not_on_or_after = ParseTime(Attr(data, "NotOnOrAfter"));
    break;
  }
  return absl::OkStatus();
}

void ReadConditions(const xmlNode* a, SamlAssertion* out) {
  if (const xmlNode* cond = Child(a, kSaml, "Conditions"); cond != nullptr) {
    out->has_conditions = true;
    out->not_before = ParseTime(Attr(cond, "NotBefore"));
    out->not_on_or_after = ParseTime(Attr(cond, "NotOnOrAfter"));
    for (const xmlNode* r : Children(cond, kSaml, "AudienceRestriction")) {
      std::vector<std::string>& audiences =
          out->audience_restrictions.emplace_back();
      for (const xmlNode* au : Children(r, kSaml, "Audience")) {
        audiences.push_back(WholeText(au).value_or(""));
      }
    }
  }
}

// The authentication contexts and the attributes, by Name and by
// FriendlyName.
void ReadStatements(const xmlNode* a, SamlAssertion* out) {
  for (const xmlNode* st : Children(a, kSaml, "AuthnStatement")) {
    const xmlNode* ref =
        Child(Child(st, kSaml, "AuthnContext"), kSaml, "AuthnContextClassRef");
    if (ref != nullptr)
      out->authn_context_class_refs.push_back(WholeText(ref).value_or(""));
  }
  for (const xmlNode* st : Children(a, kSaml, "AttributeStatement")) {
    for (const xmlNode* at : Children(st, kSaml, "Attribute")) {
      std::vector<std::string> values;
      for (const xmlNode* v : Children(at, kSaml, "AttributeValue")) {
        // A structured value (a NameID inside, say) is no text: left out.
        if (std::optional<std::string> text = WholeText(v))
          values.push_back(*text);
      }
      auto& by_name = out->attributes[Attr(at, "Name")];
      by_name.insert(by_name.end(), values.begin(), values.end());
      if (const std::string friendly = Attr(at, "FriendlyName");
          !friendly.empty()) {
        auto& by_friendly = out->attributes_by_friendly_name[friendly];
        by_friendly.insert(by_friendly.end(), values.begin(), values.end());
      }
    }
  }
}

}  // namespace

absl::StatusOr<ResponseDocument> ResponseDocument::Read(
    const std::string& xml) {
  absl::StatusOr<XmlDoc> parsed = ParseXml(xml);
  if (!parsed.ok())
    return Refused(absl::StrCat("malformed: ", parsed.status().message()));
  ResponseDocument d;
  d.doc_ = *std::move(parsed);
  d.response_ = xmlDocGetRootElement(d.doc_.get());
  if (!Is(d.response_, kSamlp, "Response"))
    return Refused("not a SAML Response");
  const std::string status =
      Attr(Child(Child(d.response_, kSamlp, "Status"), kSamlp, "StatusCode"),
           "Value");
  if (status != kSuccess)
    return Refused(absl::StrCat("IdP error Status: ", status));
  absl::Status shape = d.CheckShape();
  if (!shape.ok()) return shape;
  return d;
}

// Runs over the whole Response again after decryption: the decrypted
// Assertion may bring IDs, signatures or assertions of its own.
absl::Status ResponseDocument::CheckShape() {
  Walk w;
  Visit(response_, &w);
  if (w.assertions.size() > 1 || w.encrypted.size() > 1 ||
      (w.encrypted.size() == 1 && !w.assertions.empty() &&
       w.assertions.front()->parent != w.encrypted.front())) {
    return Refused("several assertions (possible signature wrapping)");
  }
  if (w.duplicate_id)
    return Refused("an ID is used twice (possible signature wrapping)");
  encrypted_assertion_ = w.encrypted.empty() ? nullptr : w.encrypted.front();
  if (encrypted_assertion_ != nullptr &&
      encrypted_assertion_->parent != response_) {
    return Refused(
        "the EncryptedAssertion is not a child of the Response (possible "
        "signature wrapping)");
  }
  xmlNode* parent = encrypted_assertion_ ? encrypted_assertion_ : response_;
  assertion_ = w.assertions.empty() ? nullptr : w.assertions.front();
  if (assertion_ == nullptr && encrypted_assertion_ == nullptr) {
    return Refused("no assertion");
  }
  if (assertion_ != nullptr && assertion_->parent != parent) {
    return Refused(
        "the assertion is not a child of the Response (possible signature "
        "wrapping)");
  }
  response_signature_ = assertion_signature_ = nullptr;
  for (xmlNode* s : w.signatures) {
    xmlNode** slot = s->parent == response_ ? &response_signature_
                     : assertion_ != nullptr && s->parent == assertion_
                         ? &assertion_signature_
                         : nullptr;
    if (slot == nullptr)
      return Refused("a signature outside the Response and the Assertion");
    if (*slot != nullptr) return Refused("two signatures on one element");
    *slot = s;
  }
  // An encrypted assertion's own signature is inside the ciphertext.
  if (!encrypted() && response_signature_ == nullptr &&
      assertion_signature_ == nullptr) {
    return Refused("no signature on the Response or the Assertion");
  }
  for (auto [sig, node, what] :
       {std::tuple<xmlNode*, xmlNode*, const char*>{response_signature_,
                                                    response_, "Response"},
        {assertion_signature_, assertion_, "Assertion"}}) {
    if (sig == nullptr) continue;
    absl::Status s = CheckSignatureShape(sig, node, what);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ResponseDocument::Decrypt(const std::string& private_key_pem) {
  if (!encrypted()) return absl::OkStatus();
  absl::Status decrypted =
      DecryptAssertion(encrypted_assertion_, private_key_pem);
  if (!decrypted.ok()) return decrypted;
  absl::Status shape = CheckShape();
  if (!shape.ok()) return shape;
  if (assertion_ == nullptr)
    return Refused("the EncryptedAssertion holds no assertion");
  return absl::OkStatus();
}

absl::Status ResponseDocument::VerifySignatures(
    const std::vector<std::string>& certificates_pem, bool allow_sha1) {
  for (auto [sig, node, what, done] :
       {std::tuple<xmlNode*, xmlNode*, const char*, bool*>{
            response_signature_, response_, "Response", &response_verified_},
        {assertion_signature_, assertion_, "Assertion",
         &assertion_verified_}}) {
    if (sig == nullptr || *done) continue;
    const xmlNode* info = Child(sig, kDs, "SignedInfo");
    const std::string method =
        Attr(Child(info, kDs, "SignatureMethod"), "Algorithm");
    const std::string digest = Attr(
        Child(Child(info, kDs, "Reference"), kDs, "DigestMethod"), "Algorithm");
    if (!SignatureMethods().count(method) || !DigestMethods().count(digest)) {
      return Refused(absl::StrCat("the ", what,
                                  " signature uses an unsupported algorithm (",
                                  method, ", ", digest, ")"));
    }
    if ((method == kRsaSha1 || digest == kSha1) && !allow_sha1) {
      return Refused(absl::StrCat(
          "the ", what,
          " is signed with SHA-1, which is refused unless the provider "
          "setting allow_sha1_signatures is on"));
    }
    std::string id = Attr(node, "ID");
    bool verified = false;
    for (const std::string& pem : certificates_pem) {
      std::unique_ptr<LassoKey, KeyUnref> key(
          lasso_key_new_for_signature_from_memory(
              pem.data(), pem.size(), nullptr,
              LASSO_SIGNATURE_METHOD_RSA_SHA256, nullptr));
      if (key == nullptr) continue;
      if (lasso_key_saml2_xml_verify(key.get(), id.data(), node) == 0) {
        verified = true;
        break;
      }
    }
    if (!verified) {
      return Refused(absl::StrCat(
          "the ", what,
          " signature does not verify against the IdP metadata's keys"));
    }
    *done = true;
  }
  return absl::OkStatus();
}

absl::StatusOr<SamlAssertion> ResponseDocument::Values() const {
  SamlAssertion out;
  const xmlNode* a = assertion_;
  out.response_destination = Attr(response_, "Destination");
  out.in_response_to = Attr(response_, "InResponseTo");
  out.assertion_id = Attr(a, "ID");
  const xmlNode* issuer = Child(a, kSaml, "Issuer");
  out.issuer = issuer ? WholeText(issuer).value_or("") : "";
  const xmlNode* response_issuer = Child(response_, kSaml, "Issuer");
  if (response_issuer != nullptr && WholeText(response_issuer) != out.issuer) {
    return Refused("the Response and the Assertion name different issuers");
  }
  absl::Status subject = ReadSubject(a, &out);
  if (!subject.ok()) return subject;
  ReadConditions(a, &out);
  ReadStatements(a, &out);
  return out;
}

}  // namespace identity::saml
