#include "identity/saml/saml_decrypt.h"
#include <fstream>
#include <sstream>
#include <iostream>
#include <xmlsec/xmlsec.h>
#include <xmlsec/crypto.h>
int main() {
  lasso_init();
  std::stringstream k, x; k << std::ifstream("sp.key").rdbuf(); 
  std::string doc = "<r xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"><saml:EncryptedAssertion>";
  x << std::ifstream("enc.xml").rdbuf(); std::string e = x.str(); e = e.substr(e.find("?>")+2);
  doc += e + "</saml:EncryptedAssertion></r>";
  xmlDoc* d = xmlReadMemory(doc.data(), doc.size(), nullptr, nullptr, 0);
  xmlNode* ea = xmlDocGetRootElement(d)->children;
  auto s = identity::saml::DecryptAssertion(ea, k.str());
  std::cout << s << "\n";
  xmlDocDump(stdout, d);
}
