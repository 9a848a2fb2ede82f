#include "providers/saml/saml_decrypt.h"
#include "providers/saml/saml_xml.h"

#include <xmlsec/crypto.h>
#include <xmlsec/keys.h>
#include <xmlsec/xmlenc.h>

#include <memory>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"

namespace identity::saml {
namespace {

constexpr char kXenc[] = "http://www.w3.org/2001/04/xmlenc#";
constexpr char kDs[] = "http://www.w3.org/2000/09/xmldsig#";
constexpr char kRsaOaep[] = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
constexpr char kRsa15[] = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";

const std::set<std::string>& ContentMethods() {
  static const auto* set =
      new std::set<std::string>{"http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                                "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
                                "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
                                "http://www.w3.org/2009/xmlenc11#aes128-gcm",
                                "http://www.w3.org/2009/xmlenc11#aes192-gcm",
                                "http://www.w3.org/2009/xmlenc11#aes256-gcm"};
  return *set;
}

absl::Status Refused(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

std::string Algorithm(const xmlNode* n) {
  xmlNode* method = Child(n, kXenc, "EncryptionMethod");
  if (method == nullptr) return "";
  xmlChar* v = xmlGetNoNsProp(method, BAD_CAST "Algorithm");
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

// The ciphertext inline: a CipherReference would make xmlsec fetch a URI.
bool InlineCipher(const xmlNode* n) {
  std::vector<xmlNode*> data = ElementChildren(Child(n, kXenc, "CipherData"));
  return data.size() == 1 && Is(data[0], kXenc, "CipherValue");
}

struct KeyFree {
  void operator()(xmlSecKey* k) const { xmlSecKeyDestroy(k); }
};
using Key = std::unique_ptr<xmlSecKey, KeyFree>;
struct CtxFree {
  void operator()(xmlSecEncCtx* c) const { xmlSecEncCtxDestroy(c); }
};
using Ctx = std::unique_ptr<xmlSecEncCtx, CtxFree>;

// Each context gets its key set directly, no keys manager: xmlsec then
// never reads a KeyInfo (no RetrievalMethod, no certificate lookups).
Ctx NewContext(Key key) {
  Ctx ctx(xmlSecEncCtxCreate(nullptr));
  if (ctx == nullptr) return ctx;
  ctx->encKey = key.release();
  ctx->transformCtx.enabledUris = 0;  // no URI of any kind
  return ctx;
}

}  // namespace

absl::Status DecryptAssertion(xmlNode* encrypted_assertion,
                              const std::string& private_key_pem) {
  std::vector<xmlNode*> children = ElementChildren(encrypted_assertion);
  if (children.size() != 1 || !Is(children[0], kXenc, "EncryptedData")) {
    return Refused(
        "the EncryptedAssertion must hold one EncryptedData with its "
        "EncryptedKey inside the KeyInfo");
  }
  xmlNode* data = children[0];
  const std::string content_method = Algorithm(data);
  if (!ContentMethods().count(content_method)) {
    return Refused(
        absl::StrCat("the assertion is encrypted with ",
                     content_method.empty() ? "no algorithm" : content_method,
                     ", which is not accepted (AES-CBC or AES-GCM)"));
  }
  std::vector<xmlNode*> key_info = ElementChildren(Child(data, kDs, "KeyInfo"));
  if (key_info.size() != 1 || !Is(key_info[0], kXenc, "EncryptedKey")) {
    return Refused(
        "the EncryptedData's KeyInfo must hold exactly one EncryptedKey");
  }
  xmlNode* encrypted_key = key_info[0];
  const std::string key_method = Algorithm(encrypted_key);
  if (key_method == kRsa15) {
    return Refused(
        "the assertion's key is wrapped with RSA PKCS#1 v1.5, which is "
        "refused; "
        "configure RSA-OAEP at the IdP");
  }
  if (key_method != kRsaOaep) {
    return Refused(absl::StrCat("the assertion's key is wrapped with ",
                                key_method,
                                ", which is not accepted (RSA-OAEP)"));
  }
  if (!InlineCipher(data) || !InlineCipher(encrypted_key)) {
    return Refused("the encrypted assertion must carry its ciphertext inline");
  }
  const absl::Status undecryptable = Refused(
      "the encrypted assertion cannot be decrypted with the SP's key (was it "
      "encrypted for another certificate than the SP metadata's?)");
  Key rsa(xmlSecCryptoAppKeyLoadMemory(
      reinterpret_cast<const xmlSecByte*>(private_key_pem.data()),
      static_cast<xmlSecSize>(private_key_pem.size()), xmlSecKeyDataFormatPem,
      nullptr, nullptr, nullptr));
  if (rsa == nullptr)
    return absl::FailedPreconditionError("the SP key is unusable");
  Ctx key_ctx = NewContext(std::move(rsa));
  if (key_ctx == nullptr) return absl::ResourceExhaustedError("out of memory");
  key_ctx->mode = xmlEncCtxModeEncryptedKey;
  xmlSecBuffer* session =
      xmlSecEncCtxDecryptToBuffer(key_ctx.get(), encrypted_key);
  if (session == nullptr) return undecryptable;
  Key aes(xmlSecKeyReadBuffer(xmlSecKeyDataAesId, session));
  if (aes == nullptr) return undecryptable;
  Ctx data_ctx = NewContext(std::move(aes));
  if (data_ctx == nullptr) return absl::ResourceExhaustedError("out of memory");
  if (xmlSecEncCtxDecrypt(data_ctx.get(), data) != 0 ||
      !data_ctx->resultReplaced) {
    return undecryptable;
  }
  return absl::OkStatus();
}

}  // namespace identity::saml
