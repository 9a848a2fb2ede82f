// Reading SAML XML that came from outside with libxml2, before or beside
// lasso: no network, no entity expansion, no DTD accepted.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_XML_H_
#define IDENTITY_PROVIDERS_SAML_SAML_XML_H_

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace identity::saml {

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// The parsed document. INVALID_ARGUMENT for a document that does not parse
// or declares a DTD.
absl::StatusOr<XmlDoc> ParseXml(const std::string& xml);

// The text of every node `xpath` selects (prefixes md, saml, samlp, ds are
// bound to the SAML 2.0 and XML-DSig namespaces). INVALID_ARGUMENT for a
// document that does not parse or declares a DTD.
absl::StatusOr<std::vector<std::string>> SelectText(const std::string& xml,
                                                    const std::string& xpath);

// One copy of the document per node `xpath` selects, each copy without the
// other selected nodes; empty when fewer than two are selected. Same
// parsing rules and errors as SelectText.
absl::StatusOr<std::vector<std::string>> OneCopyPerNode(const std::string& xml,
                                                        const std::string& xpath);

// Walking a parsed document: `n` may be null in each.
// True for an element named `name` in namespace `ns`.
bool Is(const xmlNode* n, const char* ns, const char* name);
// The element children of `n`, in order.
std::vector<xmlNode*> ElementChildren(const xmlNode* n);
// The children of `n` that are elements `ns`:`name`, in order.
std::vector<xmlNode*> Children(const xmlNode* n, const char* ns,
                               const char* name);
// The first such child, or null.
xmlNode* Child(const xmlNode* n, const char* ns, const char* name);
// The value of `n`'s attribute `name` (no namespace), or "".
std::string Attr(const xmlNode* n, const char* name);

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_XML_H_
