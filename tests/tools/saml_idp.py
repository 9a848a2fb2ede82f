#!/usr/bin/python3
"""An independent SAML 2.0 identity provider for the tests, on pysaml2.

  saml_idp.py init DIR ENTITY_ID SSO_URL
      makes DIR/idp.key, DIR/idp.pem (self-signed) and DIR/idp-metadata.xml
  saml_idp.py respond DIR SP_METADATA REDIRECT_URL NAME_ID [name=value ...]
      reads the AuthnRequest from the SP's redirect URL (HTTP-Redirect
      binding, its signature checked against the SP metadata), and prints the
      base64 SAMLResponse for the SP's assertion consumer service and the
      relay state, one per line. IDP_MODE changes the response for negative
      tests: unsigned, expired, error-status, other-destination, wrapped (an
      unsigned copy of the assertion for another subject inserted beside the
      signed one), rogue-key (signed by a key the metadata does not list),
      next-key (signed by the second key the metadata lists: a rollover),
      unsolicited (IdP-initiated: no InResponseTo).

The metadata lists two signing certificates, idp.pem and idp-next.pem.
"""
import re
import base64
import logging
import os
import subprocess
import sys
import urllib.parse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml, samlp
from saml2.authn_context import PASSWORDPROTECTEDTRANSPORT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.server import Server
from saml2.sigver import verify_redirect_signature
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID


def keypair(d, name, cn):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", os.path.join(d, name + ".key"), "-out", os.path.join(d, name + ".pem"),
         "-subj", "/CN=" + cn],
        check=True, capture_output=True)


def cert_body(path):
    return "".join(l for l in open(path).read().splitlines() if "CERTIFICATE" not in l)


def config(d, entity_id, sso_url, sp_metadata=None, lifetime_minutes=5, key="idp"):
    conf = {
        "entityid": entity_id,
        "service": {
            "idp": {
                "endpoints": {
                    "single_sign_on_service": [(sso_url, BINDING_HTTP_REDIRECT)]
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "want_authn_requests_signed": False,  # checked below, on the query
                "policy": {
                    "default": {
                        "lifetime": {"minutes": lifetime_minutes},
                        "attribute_restrictions": None,
                        "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
                    }
                },
            }
        },
        "key_file": os.path.join(d, key + ".key"),
        "cert_file": os.path.join(d, key + ".pem"),
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"local": [sp_metadata]} if sp_metadata else {},
    }
    c = IdPConfig()
    c.load(conf)
    return c


def init(d, entity_id, sso_url):
    os.makedirs(d, exist_ok=True)
    host = urllib.parse.urlparse(entity_id).netloc
    for name in ("idp", "idp-next", "idp-rogue"):
        keypair(d, name, host)
    with open(os.path.join(d, "entity"), "w") as f:
        f.write(entity_id + "\n" + sso_url + "\n")
    xml = str(entity_descriptor(config(d, entity_id, sso_url)))
    # A second signing certificate beside the first, as IdPs publish during
    # a rollover.
    first = re.search(r"<(\w+):KeyDescriptor.*?</\1:KeyDescriptor>", xml, re.S).group(0)
    second = re.sub(r"(X509Certificate>)[^<]*(</)",
                    lambda m: m.group(1) + cert_body(os.path.join(d, "idp-next.pem")) + m.group(2),
                    first)
    xml = xml.replace(first, first + second, 1)
    with open(os.path.join(d, "idp-metadata.xml"), "w") as f:
        f.write(xml)


def respond(d, sp_metadata, redirect_url, name_id, attributes):
    entity_id, sso_url = open(os.path.join(d, "entity")).read().split()
    mode = os.environ.get("IDP_MODE", "")
    key = {"next-key": "idp-next", "rogue-key": "idp-rogue"}.get(mode, "idp")
    server = Server(config=config(d, entity_id, sso_url, sp_metadata,
                                  lifetime_minutes=-10 if mode == "expired" else 5,
                                  key=key))
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(redirect_url).query))
    sp_cert = server.metadata.certs(
        server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        .message.issuer.text, "spsso", "signing")
    if not any(verify_redirect_signature(query, server.sec.sec_backend, cert=c)
               for c in sp_cert):
        sys.exit("the AuthnRequest's signature does not verify")
    req = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT).message
    identity = {}
    for a in attributes:
        k, v = a.split("=", 1)
        identity.setdefault(k, []).append(v)
    sp_entity = req.issuer.text
    destination = req.assertion_consumer_service_url
    if mode == "other-audience":
        sp_entity = "https://somebody-else.example.com/sp"
    if mode == "other-destination":
        destination = "https://somebody-else.example.com/acs"
    if mode == "error-status":
        xml = server.create_error_response(
            req.id, destination, Exception("authentication failed"), sign=True)
    else:
        xml = server.create_authn_response(
            identity, in_response_to=None if mode == "unsolicited" else req.id,
            destination=destination,
            sp_entity_id=sp_entity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id),
            authn={"class_ref": PASSWORDPROTECTEDTRANSPORT},
            sign_response=mode != "unsigned", sign_assertion=mode != "unsigned",
            best_effort=True)
    xml = str(xml)
    if mode == "wrapped":
        signed = re.search(r"<(\w+):Assertion\b.*?</\1:Assertion>", xml, re.S).group(0)
        evil = re.sub(r"<(\w+):Signature\b.*?</\1:Signature>", "", signed, flags=re.S)
        evil = evil.replace(name_id, "victim").replace('ID="', 'ID="evil', 1)
        xml = xml.replace(signed, evil + signed, 1)
    print(base64.b64encode(xml.encode()).decode())
    print(query.get("RelayState", ""))


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)  # stdout carries the answer only
    if sys.argv[1] == "init":
        init(*sys.argv[2:5])
    elif sys.argv[1] == "respond":
        respond(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
    else:
        sys.exit(__doc__)
