#include "providers/saml/saml_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace identity::saml {
namespace {

struct ContextFree {
  void operator()(xmlXPathContext* c) const { xmlXPathFreeContext(c); }
};
struct ObjectFree {
  void operator()(xmlXPathObject* o) const { xmlXPathFreeObject(o); }
};
using Doc = XmlDoc;
using Nodes = std::unique_ptr<xmlXPathObject, ObjectFree>;

// Why libxml2 refused a document, in words that say what to fix.
std::string NotWellFormed() {
  const xmlError* e = xmlGetLastError();
  if (e == nullptr || e->message == nullptr) return "not well-formed XML";
  // Without XML_PARSE_HUGE libxml2 stops at 256 levels of nesting.
  if (absl::StrContains(e->message, "Excessive depth")) {
    return "not well-formed XML: elements nested deeper than 256 levels";
  }
  return absl::StrCat("not well-formed XML (line ", e->line, ")");
}

absl::StatusOr<Doc> Parse(const std::string& xml) {
  xmlResetLastError();
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "saml.xml",
                        nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (doc == nullptr) return absl::InvalidArgumentError(NotWellFormed());
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return absl::InvalidArgumentError("a DTD is not accepted");
  }
  return doc;
}

// The selected nodes; null or with no node set when nothing matched.
Nodes Select(xmlDoc* doc, const std::string& xpath) {
  std::unique_ptr<xmlXPathContext, ContextFree> ctx(xmlXPathNewContext(doc));
  for (const auto& [prefix, uri] :
       {std::pair<const char*, const char*>{"md", "urn:oasis:names:tc:SAML:2.0:metadata"},
        {"saml", "urn:oasis:names:tc:SAML:2.0:assertion"},
        {"samlp", "urn:oasis:names:tc:SAML:2.0:protocol"},
        {"ds", "http://www.w3.org/2000/09/xmldsig#"}}) {
    xmlXPathRegisterNs(ctx.get(), reinterpret_cast<const xmlChar*>(prefix),
                       reinterpret_cast<const xmlChar*>(uri));
  }
  return Nodes(xmlXPathEvalExpression(
      reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx.get()));
}

int Count(const Nodes& nodes) {
  return nodes == nullptr || nodes->nodesetval == nullptr ? 0
                                                          : nodes->nodesetval->nodeNr;
}

}  // namespace

absl::StatusOr<XmlDoc> ParseXml(const std::string& xml) { return Parse(xml); }

absl::StatusOr<std::vector<std::string>> SelectText(const std::string& xml,
                                                    const std::string& xpath) {
  absl::StatusOr<Doc> doc = Parse(xml);
  if (!doc.ok()) return doc.status();
  Nodes nodes = Select(doc->get(), xpath);
  std::vector<std::string> out;
  for (int i = 0; i < Count(nodes); ++i) {
    xmlChar* text = xmlNodeGetContent(nodes->nodesetval->nodeTab[i]);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    xmlFree(text);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> OneCopyPerNode(const std::string& xml,
                                                        const std::string& xpath) {
  absl::StatusOr<Doc> doc = Parse(xml);
  if (!doc.ok()) return doc.status();
  const int n = Count(Select(doc->get(), xpath));
  std::vector<std::string> out;
  if (n < 2) return out;
  for (int keep = 0; keep < n; ++keep) {
    Doc copy(xmlCopyDoc(doc->get(), 1));
    if (copy == nullptr) return absl::ResourceExhaustedError("cannot copy XML");
    Nodes nodes = Select(copy.get(), xpath);
    // Every other node is unlinked before any is freed: one selected node
    // may sit inside another.
    std::vector<xmlNode*> removed;
    for (int i = 0; i < Count(nodes); ++i) {
      if (i == keep) continue;
      removed.push_back(nodes->nodesetval->nodeTab[i]);
      xmlUnlinkNode(removed.back());
    }
    for (xmlNode* node : removed) xmlFreeNode(node);
    xmlChar* text = nullptr;
    int size = 0;
    xmlDocDumpMemory(copy.get(), &text, &size);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "",
                     static_cast<size_t>(size));
    xmlFree(text);
  }
  return out;
}

bool Is(const xmlNode* n, const char* ns, const char* name) {
  return n != nullptr && n->type == XML_ELEMENT_NODE && n->ns != nullptr &&
         xmlStrEqual(n->ns->href, BAD_CAST ns) &&
         xmlStrEqual(n->name, BAD_CAST name);
}

std::vector<xmlNode*> ElementChildren(const xmlNode* n) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = n ? n->children : nullptr; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

std::vector<xmlNode*> Children(const xmlNode* n, const char* ns,
                               const char* name) {
  std::vector<xmlNode*> out;
  for (xmlNode* c : ElementChildren(n)) {
    if (Is(c, ns, name)) out.push_back(c);
  }
  return out;
}

xmlNode* Child(const xmlNode* n, const char* ns, const char* name) {
  std::vector<xmlNode*> all = Children(n, ns, name);
  return all.empty() ? nullptr : all.front();
}

std::string Attr(const xmlNode* n, const char* name) {
  if (n == nullptr) return "";
  xmlChar* v = xmlGetNoNsProp(n, BAD_CAST name);
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

}  // namespace identity::saml
