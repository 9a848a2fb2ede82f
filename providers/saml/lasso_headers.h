// lasso's headers, included the one way that compiles in C++: glib and
// libxml2 first, outside lasso's extern "C" (glib's own headers pull C++
// templates when compiled as C++).
#ifndef IDENTITY_PROVIDERS_SAML_LASSO_HEADERS_H_
#define IDENTITY_PROVIDERS_SAML_LASSO_HEADERS_H_

#include <glib-object.h>
#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <lasso/lasso.h>
#include <lasso/xml/misc_text_node.h>
#include <lasso/xml/saml-2.0/saml2_assertion.h>
#include <lasso/xml/saml-2.0/saml2_attribute.h>
#include <lasso/xml/saml-2.0/saml2_attribute_statement.h>
#include <lasso/xml/saml-2.0/saml2_attribute_value.h>
#include <lasso/xml/saml-2.0/saml2_audience_restriction.h>
#include <lasso/xml/saml-2.0/saml2_conditions.h>
#include <lasso/xml/saml-2.0/saml2_name_id.h>
#include <lasso/xml/saml-2.0/saml2_subject.h>
#include <lasso/xml/saml-2.0/saml2_subject_confirmation.h>
#include <lasso/xml/saml-2.0/saml2_subject_confirmation_data.h>
#include <lasso/xml/saml-2.0/samlp2_authn_request.h>
#include <lasso/xml/saml-2.0/samlp2_name_id_policy.h>
#include <lasso/xml/saml-2.0/samlp2_requested_authn_context.h>
#include <lasso/xml/saml-2.0/samlp2_response.h>

#endif  // IDENTITY_PROVIDERS_SAML_LASSO_HEADERS_H_
