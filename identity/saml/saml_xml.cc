#include "identity/saml/saml_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>

namespace identity::saml {
namespace {

struct DocFree { void operator()(xmlDoc* d) const { xmlFreeDoc(d); } };
struct ContextFree {
  void operator()(xmlXPathContext* c) const { xmlXPathFreeContext(c); }
};
struct ObjectFree {
  void operator()(xmlXPathObject* o) const { xmlXPathFreeObject(o); }
};

}  // namespace

absl::StatusOr<std::vector<std::string>> SelectText(const std::string& xml,
                                                    const std::string& xpath) {
  std::unique_ptr<xmlDoc, DocFree> doc(xmlReadMemory(
      xml.data(), static_cast<int>(xml.size()), "saml.xml", nullptr,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (doc == nullptr) return absl::InvalidArgumentError("not well-formed XML");
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return absl::InvalidArgumentError("a DTD is not accepted");
  }
  std::unique_ptr<xmlXPathContext, ContextFree> ctx(xmlXPathNewContext(doc.get()));
  for (const auto& [prefix, uri] :
       {std::pair<const char*, const char*>{"md", "urn:oasis:names:tc:SAML:2.0:metadata"},
        {"saml", "urn:oasis:names:tc:SAML:2.0:assertion"},
        {"samlp", "urn:oasis:names:tc:SAML:2.0:protocol"},
        {"ds", "http://www.w3.org/2000/09/xmldsig#"}}) {
    xmlXPathRegisterNs(ctx.get(), reinterpret_cast<const xmlChar*>(prefix),
                       reinterpret_cast<const xmlChar*>(uri));
  }
  std::unique_ptr<xmlXPathObject, ObjectFree> result(xmlXPathEvalExpression(
      reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx.get()));
  std::vector<std::string> out;
  if (result == nullptr || result->nodesetval == nullptr) return out;
  for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
    xmlChar* text = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    xmlFree(text);
  }
  return out;
}

}  // namespace identity::saml
