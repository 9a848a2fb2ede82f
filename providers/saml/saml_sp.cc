#include "providers/saml/saml_sp.h"

#include <memory>
#include <mutex>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "providers/saml/lasso_headers.h"
#include "providers/saml/saml_response_doc.h"
#include "providers/saml/saml_xml.h"

namespace identity::saml {
namespace {

constexpr size_t kMaxResponseBytes = 1 << 20;

void InitLasso() {
  static std::once_flag once;
  std::call_once(once, [] { lasso_init(); });
}

struct ServerFree {
  void operator()(LassoServer* s) const { lasso_server_destroy(s); }
};
using Server = std::unique_ptr<LassoServer, ServerFree>;
struct LoginFree {
  void operator()(LassoLogin* l) const { lasso_login_destroy(l); }
};
using Login = std::unique_ptr<LassoLogin, LoginFree>;

std::string Str(const char* s) { return s ? s : ""; }

// The base64 body of a PEM certificate, for metadata.
std::string CertificateBody(const std::string& pem) {
  std::string body = absl::StrReplaceAll(
      pem, {{"-----BEGIN CERTIFICATE-----", ""}, {"-----END CERTIFICATE-----", ""},
            {"\n", ""}, {"\r", ""}});
  return body;
}

std::string XmlEscape(const std::string& s) {
  return absl::StrReplaceAll(
      s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

absl::StatusOr<Server> MakeServer(const SpSettings& sp) {
  InitLasso();
  const std::string metadata = SpMetadata(sp);
  Server server(lasso_server_new_from_buffers(metadata.c_str(),
                                              sp.sp_private_key_pem.c_str(),
                                              nullptr,
                                              sp.sp_certificate_pem.c_str()));
  if (server == nullptr) {
    return absl::FailedPreconditionError("the SP key, certificate or settings are unusable");
  }
  // lasso decrypts an EncryptedAssertion with the SP's key, as
  // ResponseDocument does on its own.
  if (lasso_server_set_encryption_private_key_with_password(
          server.get(), sp.sp_private_key_pem.c_str(), nullptr) != 0) {
    return absl::FailedPreconditionError(
        "the SP key is unusable for decryption");
  }
  // The SP's own signatures (the AuthnRequest's) use SHA-256 whatever
  // lasso's build defaults to.
  server->signature_method = LASSO_SIGNATURE_METHOD_RSA_SHA256;
  if (lasso_server_add_provider_from_buffer(server.get(), LASSO_PROVIDER_ROLE_IDP,
                                            sp.idp_metadata_xml.c_str(), nullptr,
                                            nullptr) != 0) {
    return absl::FailedPreconditionError("the IdP metadata is unusable");
  }
  return server;
}

absl::Status Refused(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

// The IdP metadata once per signing KeyDescriptor, each copy keeping only
// that one; empty when there are fewer than two. (Read with libxml2: a
// backtracking regular expression here overflowed the stack on a 100 KB
// KeyDescriptor.)
std::vector<std::string> SingleKeyVariants(const std::string& metadata) {
  absl::StatusOr<std::vector<std::string>> variants = OneCopyPerNode(
      metadata, "//md:KeyDescriptor[not(@use='encryption')]");
  return variants.ok() ? *std::move(variants) : std::vector<std::string>();
}

// lasso's part, a second opinion on the same bytes: the signature against
// the IdP metadata's key and the status. HINT_MAYBE because FORCE demands a
// signature on the Response itself and so refuses what Entra ID, AD FS and
// Okta send by default (the Assertion signed only); with MAYBE lasso checks
// the Response's signature when there is one and else the Assertion's.
// Which element that covers, and that every signature present verifies,
// ResponseDocument establishes on its own.
absl::Status LassoAgrees(const SpSettings& sp, const std::string& saml_response) {
  absl::StatusOr<Server> server = MakeServer(sp);
  if (!server.ok()) return server.status();
  Login login(lasso_login_new(server->get()));
  LassoProfile* profile = LASSO_PROFILE(login.get());
  lasso_profile_set_signature_verify_hint(profile,
                                          LASSO_PROFILE_SIGNATURE_VERIFY_HINT_MAYBE);
  int rc = lasso_login_process_authn_response_msg(
      login.get(), const_cast<char*>(saml_response.c_str()));
  if (rc != 0) return Refused(absl::StrCat("lasso: ", lasso_strerror(rc)));
  rc = lasso_login_accept_sso(login.get());
  if (rc != 0) return Refused(absl::StrCat("lasso: ", lasso_strerror(rc)));
  return absl::OkStatus();
}

}  // namespace

std::string SpMetadata(const SpSettings& sp) {
  std::string keys;
  for (const std::string* pem : {&sp.sp_certificate_pem, &sp.sp_next_certificate_pem}) {
    if (pem->empty()) continue;
    absl::StrAppend(&keys,
                    "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data>"
                    "<ds:X509Certificate>",
                    CertificateBody(*pem),
                    "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n");
  }
  // IdPs that encrypt assertions (Entra ID, AD FS, Okta) encrypt for this
  // certificate; the response is decrypted with its key.
  if (!sp.sp_certificate_pem.empty()) {
    absl::StrAppend(
        &keys,
        "    <md:KeyDescriptor use=\"encryption\"><ds:KeyInfo><ds:X509Data>"
        "<ds:X509Certificate>",
        CertificateBody(sp.sp_certificate_pem),
        "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></"
        "md:KeyDescriptor>\n");
  }
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
      "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"",
      XmlEscape(sp.sp_entity_id),
      "\">\n  <md:SPSSODescriptor AuthnRequestsSigned=\"true\" "
      "WantAssertionsSigned=\"true\" protocolSupportEnumeration=\""
      "urn:oasis:names:tc:SAML:2.0:protocol\">\n",
      keys, "    <md:NameIDFormat>", XmlEscape(sp.name_id_format),
      "</md:NameIDFormat>\n    <md:AssertionConsumerService Binding=\""
      "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"",
      XmlEscape(sp.acs_url),
      "\" index=\"0\" isDefault=\"true\"/>\n  </md:SPSSODescriptor>\n"
      "</md:EntityDescriptor>\n");
}

absl::StatusOr<IdpInfo> ReadIdpMetadata(const std::string& xml) {
  auto invalid = [](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("saml.idp_metadata_xml: ", what));
  };
  auto entity = SelectText(xml, "/md:EntityDescriptor/@entityID");
  if (!entity.ok()) return invalid(entity.status().message());
  if (entity->size() != 1 || entity->front().empty()) {
    return invalid("needs one md:EntityDescriptor with an entityID");
  }
  IdpInfo info;
  info.entity_id = entity->front();
  auto sso = SelectText(
      xml, "//md:IDPSSODescriptor/md:SingleSignOnService[@Binding='"
           "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect']/@Location");
  if (!sso.ok() || sso->empty()) {
    return invalid("needs an HTTP-Redirect SingleSignOnService");
  }
  info.sso_url = sso->front();
  auto certs = SelectText(
      xml, "//md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']"
           "//ds:X509Certificate");
  if (!certs.ok() || certs->empty()) {
    return invalid("needs at least one signing certificate");
  }
  for (const std::string& body : *certs) {
    std::string clean = absl::StrReplaceAll(body, {{"\n", ""}, {"\r", ""}, {" ", ""}});
    std::string pem = "-----BEGIN CERTIFICATE-----\n";
    for (size_t i = 0; i < clean.size(); i += 64) {
      absl::StrAppend(&pem, clean.substr(i, 64), "\n");
    }
    absl::StrAppend(&pem, "-----END CERTIFICATE-----\n");
    info.signing_certificates_pem.push_back(std::move(pem));
  }
  InitLasso();
  LassoProvider* provider = lasso_provider_new_from_buffer(
      LASSO_PROVIDER_ROLE_IDP, xml.c_str(), nullptr, nullptr);
  if (provider == nullptr) return invalid("lasso cannot load it");
  lasso_node_destroy(LASSO_NODE(provider));
  return info;
}

absl::StatusOr<AuthnRedirect> BuildAuthnRequest(const SpSettings& sp,
                                                const std::string& relay_state) {
  absl::StatusOr<Server> server = MakeServer(sp);
  if (!server.ok()) return server.status();
  Login login(lasso_login_new(server->get()));
  if (lasso_login_init_authn_request(login.get(), sp.idp_entity_id.c_str(),
                                     LASSO_HTTP_METHOD_REDIRECT) != 0) {
    return absl::FailedPreconditionError("cannot build an AuthnRequest for this IdP");
  }
  LassoSamlp2AuthnRequest* req =
      LASSO_SAMLP2_AUTHN_REQUEST(LASSO_PROFILE(login.get())->request);
  if (sp.name_id_format == kNameIdUnspecified) {
    // No preference: no NameIDPolicy at all (Entra ID refuses some Format
    // values there, and "unspecified" asks for nothing).
    lasso_node_destroy(LASSO_NODE(req->NameIDPolicy));
    req->NameIDPolicy = nullptr;
  } else {
    g_free(req->NameIDPolicy->Format);
    req->NameIDPolicy->Format = g_strdup(sp.name_id_format.c_str());
    req->NameIDPolicy->AllowCreate = TRUE;
  }
  req->ForceAuthn = sp.force_authn ? TRUE : FALSE;
  if (!sp.authn_context_class_ref.empty()) {
    LassoSamlp2RequestedAuthnContext* context = LASSO_SAMLP2_REQUESTED_AUTHN_CONTEXT(
        lasso_samlp2_requested_authn_context_new());
    context->AuthnContextClassRef =
        g_list_append(nullptr, g_strdup(sp.authn_context_class_ref.c_str()));
    context->Comparison = g_strdup("exact");
    req->RequestedAuthnContext = context;
  }
  g_free(req->ProtocolBinding);
  req->ProtocolBinding = g_strdup(LASSO_SAML2_METADATA_BINDING_POST);
  g_free(req->AssertionConsumerServiceURL);
  req->AssertionConsumerServiceURL = g_strdup(sp.acs_url.c_str());
  g_free(LASSO_PROFILE(login.get())->msg_relayState);
  LASSO_PROFILE(login.get())->msg_relayState = g_strdup(relay_state.c_str());
  if (lasso_login_build_authn_request_msg(login.get()) != 0) {
    return absl::InternalError("cannot sign the AuthnRequest");
  }
  return AuthnRedirect{Str(LASSO_PROFILE(login.get())->msg_url),
                       Str(LASSO_SAMLP2_REQUEST_ABSTRACT(req)->ID)};
}

absl::StatusOr<SamlAssertion> ReadResponse(const SpSettings& sp,
                                           const std::string& saml_response) {
  if (saml_response.size() > kMaxResponseBytes * 4 / 3 + 4) {
    return Refused("response too large");
  }
  std::string xml;
  if (!absl::Base64Unescape(saml_response, &xml)) return Refused("not base64");
  absl::StatusOr<ResponseDocument> doc = ResponseDocument::Read(xml);
  if (!doc.ok()) return doc.status();
  absl::StatusOr<IdpInfo> idp = ReadIdpMetadata(sp.idp_metadata_xml);
  if (!idp.ok()) return absl::FailedPreconditionError("the IdP metadata is unusable");
  InitLasso();
  if (!doc->encrypted() && sp.require_encrypted_assertions) {
    return Refused(
        "the assertion is not encrypted and the provider setting "
        "require_encrypted_assertions is on");
  }
  // A Response signature covers the EncryptedAssertion as sent: verified
  // before decryption; the Assertion's own signature after it.
  absl::Status signatures =
      doc->VerifySignatures(idp->signing_certificates_pem, sp.allow_sha1_signatures);
  if (!signatures.ok()) return signatures;
  if (doc->encrypted()) {
    absl::Status decrypted = doc->Decrypt(sp.sp_private_key_pem);
    if (!decrypted.ok()) return decrypted;
    signatures = doc->VerifySignatures(idp->signing_certificates_pem,
                                       sp.allow_sha1_signatures);
    if (!signatures.ok()) return signatures;
  }
  absl::Status lasso = LassoAgrees(sp, saml_response);
  if (!lasso.ok() && !absl::IsFailedPrecondition(lasso)) {
    // lasso checks a signature against one of the IdP's keys only: during a
    // rollover (several signing certificates listed) each one is tried.
    for (const std::string& one : SingleKeyVariants(sp.idp_metadata_xml)) {
      SpSettings variant = sp;
      variant.idp_metadata_xml = one;
      if (LassoAgrees(variant, saml_response).ok()) {
        lasso = absl::OkStatus();
        break;
      }
    }
  }
  if (!lasso.ok()) return lasso;
  return doc->Values();
}

}  // namespace identity::saml
