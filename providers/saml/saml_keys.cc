#include "providers/saml/saml_keys.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <memory>

namespace identity::saml {
namespace {

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct KeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct CertFree { void operator()(X509* c) const { X509_free(c); } };
using Bio = std::unique_ptr<BIO, BioFree>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

std::string Drain(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, size);
}

Cert ParseCertificate(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace

absl::StatusOr<KeyPair> GenerateSigningKey(const std::string& common_name,
                                           absl::Duration validity) {
  Key key(EVP_RSA_gen(2048));
  Cert cert(X509_new());
  if (key == nullptr || cert == nullptr) {
    return absl::InternalError("cannot generate the SP signing key");
  }
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) {
    return absl::InternalError("no randomness for the certificate serial");
  }
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                  static_cast<long>(absl::ToInt64Seconds(validity)));
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_UTF8,
      reinterpret_cast<const unsigned char*>(common_name.substr(0, 64).c_str()),
      -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return absl::InternalError("cannot sign the SP certificate");
  }
  Bio key_out(BIO_new(BIO_s_mem()));
  Bio cert_out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0,
                           nullptr, nullptr);
  PEM_write_bio_X509(cert_out.get(), cert.get());
  return KeyPair{Drain(key_out.get()), Drain(cert_out.get())};
}

absl::Status CheckKeyPair(const KeyPair& pair) {
  Cert cert = ParseCertificate(pair.certificate_pem);
  if (cert == nullptr) {
    return absl::InvalidArgumentError(
        "saml.sp_certificate_pem: not a PEM certificate");
  }
  Bio bio(BIO_new_mem_buf(pair.private_key_pem.data(),
                          static_cast<int>(pair.private_key_pem.size())));
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "saml.sp_private_key_pem: not an unencrypted PEM private key");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return absl::InvalidArgumentError(
        "saml.sp_private_key_pem: is not the key of sp_certificate_pem");
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> CertificateNotAfter(const std::string& pem) {
  Cert cert = ParseCertificate(pem);
  if (cert == nullptr) return absl::InvalidArgumentError("not a PEM certificate");
  tm when{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &when) != 1) {
    return absl::InvalidArgumentError("unreadable certificate expiry");
  }
  return absl::FromTM(when, absl::UTCTimeZone());
}

}  // namespace identity::saml
