#!/usr/bin/python3
"""An independent SAML 2.0 identity provider for the tests, on pysaml2.

  saml_idp.py init DIR ENTITY_ID SSO_URL
      makes DIR/idp.key, DIR/idp.pem (self-signed) and DIR/idp-metadata.xml
  saml_idp.py respond DIR SP_METADATA REDIRECT_URL NAME_ID [name=value ...]
      reads the AuthnRequest from the SP's redirect URL (HTTP-Redirect
      binding, its signature checked against the SP metadata), and prints the
      base64 SAMLResponse for the SP's assertion consumer service and the
      relay state, one per line.
  saml_idp.py metadata DIR OUT KEYS [SIGN_KEY]
      writes to OUT the IdP metadata listing the signing certificates of
      KEYS (comma-separated names among idp, idp-next, idp-rogue: idp,idp-next
      is a rollover in progress), its EntityDescriptor signed by SIGN_KEY
      (such a name, or md-signer, made on first use) when given.

An attribute argument is NAME=VALUE or NAME|FRIENDLY_NAME=VALUE; in a value
or the NameID, {c} becomes an XML comment, {pi} a processing instruction and
{cd}...{/cd} a CDATA section, inserted before signing (exclusive c14n without
comments keeps the signature valid).

The environment shapes the answer:
  IDP_SIGN     assertion (default), response, both or none: which elements
               carry an enveloped signature (xmlsec1, through pysaml2)
  IDP_ALG      sha256 (default) or sha1: signature and digest algorithm
  IDP_FORMAT   the NameID format URI (default persistent)
  IDP_STYLE    prefixed (default) or default-ns: the Assertion in the SAML
               namespace as default namespace, as Entra ID and AD FS write it
  IDP_AUTHN_CONTEXT  the AuthnContextClassRef (default PasswordProtectedTransport)
  IDP_EXPECT_FORMAT, IDP_EXPECT_CONTEXT, IDP_EXPECT_FORCE
               refuse a request without that NameIDPolicy format ("": none),
               RequestedAuthnContext class, or ForceAuthn="true"
  IDP_ENCRYPT  aes128-cbc, aes256-cbc, aes128-gcm or aes256-gcm: the Assertion
               (signed first when IDP_SIGN asks for it) sent as an
               EncryptedAssertion, its key wrapped with RSA-OAEP for the
               encryption certificate of the SP metadata
  IDP_ENCRYPT_TO  rogue: encrypt for another certificate than the SP's
  IDP_DUMP     a directory: each answer is also written there as XML
  IDP_MODE     a broken or unusual answer for negative tests:
    unsigned, expired, error-status, other-destination, other-audience,
    rogue-key (signed by a key the metadata does not list), next-key (the
    second key the metadata lists: a rollover), unsolicited (no InResponseTo),
    wrapped (an unsigned copy of the assertion for another subject inserted
    beside the signed one), wrapped-unsolicited (an unsolicited assertion in
    a Response that claims to answer the request), two-audiences (a second
    AudienceRestriction naming another SP), two-audiences-ok (a second one
    naming this SP too), duplicate-id (another element carrying the
    assertion's ID), tampered-response (the Response signed, then its
    assertion's NameID changed)

The metadata lists two signing certificates, idp.pem and idp-next.pem.
"""
import base64
import datetime
import html
import re
import secrets
import logging
import os
import subprocess
import sys
import urllib.parse

from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.server import Server
from saml2.sigver import pre_signature_part, verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256
from saml2.saml import NAMEID_FORMAT_PERSISTENT


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


def metadata(d, out, keys, sign_key=None):
    """Metadata as an IdP publishes it at its URL, for the given keys."""
    entity_id, sso_url = open(os.path.join(d, "entity")).read().split()
    xml = str(entity_descriptor(config(d, entity_id, sso_url)))
    first = re.search(r"<(\w+):KeyDescriptor.*?</\1:KeyDescriptor>", xml, re.S).group(0)
    descriptors = "".join(
        re.sub(r"(X509Certificate>)[^<]*(</)",
               lambda m, k=k: m.group(1) + cert_body(os.path.join(d, k + ".pem")) + m.group(2),
               first)
        for k in keys.split(","))
    xml = xml.replace(first, descriptors, 1)
    if sign_key:
        if not os.path.exists(os.path.join(d, sign_key + ".key")):
            keypair(d, sign_key, "metadata signer")
        ident = "_md" + secrets.token_hex(16)
        xml = re.sub(r"(<\w+:EntityDescriptor\b)", r'\1 ID="%s"' % ident, xml, count=1)
        template = pre_signature_part(ident, cert_body(os.path.join(d, sign_key + ".pem")),
                                      digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256)
        template = re.sub(r"^<\?xml[^>]*\?>\s*", "", template.to_string().decode())
        # The Signature is the EntityDescriptor's first child.
        at = xml.index(">", xml.index(ident)) + 1
        xml = xml[:at] + template + xml[at:]
        server = Server(config=config(d, entity_id, sso_url, key=sign_key))
        xml = server.sec.sign_statement(
            xml, "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", node_id=ident)
    with open(out + ".tmp", "w") as f:
        f.write(xml)
    os.replace(out + ".tmp", out)  # a server reading it never sees half


SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
ALGS = {"sha256": (SIG_RSA_SHA256, DIGEST_SHA256), "sha1": (SIG_RSA_SHA1, DIGEST_SHA1)}


def now(delta_minutes=0):
    t = datetime.datetime.utcnow() + datetime.timedelta(minutes=delta_minutes)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def markup(text):
    """Escapes text, then turns the {c}, {pi}, {cd} tokens into markup."""
    text = html.escape(text, quote=True)
    return (text.replace("{c}", "<!-- -->").replace("{pi}", "<?split here?>")
            .replace("{cd}", "<![CDATA[").replace("{/cd}", "]]>"))


def attribute_statement(attributes, p):
    grouped = {}
    for a in attributes:
        k, v = a.split("=", 1)
        grouped.setdefault(k, []).append(v)
    out = []
    for k, values in grouped.items():
        name, _, friendly = k.partition("|")
        fmt = ("urn:oasis:names:tc:SAML:2.0:attrname-format:uri" if ":" in name
               else "urn:oasis:names:tc:SAML:2.0:attrname-format:basic")
        extra = ' FriendlyName="%s"' % html.escape(friendly) if friendly else ""
        vals = "".join(
            '<%sAttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">'
            '%s</%sAttributeValue>' % (p, markup(v), p) for v in values)
        out.append('<%sAttribute Name="%s" NameFormat="%s"%s>%s</%sAttribute>'
                   % (p, html.escape(name), fmt, extra, vals, p))
    return "<%sAttributeStatement>%s</%sAttributeStatement>" % (p, "".join(out), p) if out else ""


def assertion_xml(a):
    """The Assertion, as a dict of its values describes it."""
    p = "" if a["style"] == "default-ns" else "saml:"
    ns = ('xmlns="%s"' % SAML) if p == "" else ('xmlns:saml="%s"' % SAML)
    irt = ' InResponseTo="%s"' % a["subject_irt"] if a["subject_irt"] else ""
    # One AudienceRestriction per audience: each one must be met.
    audiences = "".join("<%sAudienceRestriction><%sAudience>%s</%sAudience></%sAudienceRestriction>"
                        % (p, p, html.escape(x), p, p) for x in a["audiences"])
    return (
        '<{p}Assertion {ns} ID="{id}" Version="2.0" IssueInstant="{now}">'
        '<{p}Issuer>{issuer}</{p}Issuer>'
        '<{p}Subject><{p}NameID Format="{fmt}">{name_id}</{p}NameID>'
        '<{p}SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        '<{p}SubjectConfirmationData NotOnOrAfter="{until}" Recipient="{recipient}"{irt}/>'
        '</{p}SubjectConfirmation></{p}Subject>'
        '<{p}Conditions NotBefore="{before}" NotOnOrAfter="{until}">{audiences}</{p}Conditions>'
        '<{p}AuthnStatement AuthnInstant="{now}" SessionIndex="_s{id}"><{p}AuthnContext>'
        '<{p}AuthnContextClassRef>{context}</{p}AuthnContextClassRef></{p}AuthnContext>'
        '</{p}AuthnStatement>'
        '{attrs}</{p}Assertion>').format(
            p=p, ns=ns, id=a["id"], now=now(), issuer=html.escape(a["issuer"]),
            fmt=a["format"], name_id=markup(a["name_id"]), until=now(a["lifetime"]),
            before=now(-1), recipient=html.escape(a["recipient"]), irt=irt,
            audiences=audiences, attrs=attribute_statement(a["attributes"], p),
            context=html.escape(a["context"]))


def response_xml(r, inner):
    irt = ' InResponseTo="%s"' % r["irt"] if r["irt"] else ""
    return (
        '<samlp:Response xmlns:samlp="{samlp}" xmlns:saml="{saml}" ID="{id}" Version="2.0" '
        'IssueInstant="{now}" Destination="{dest}"{irt}><saml:Issuer>{issuer}</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:{status}"/>'
        '</samlp:Status>{inner}</samlp:Response>').format(
            samlp=SAMLP, saml=SAML, id=r["id"], now=now(), dest=html.escape(r["destination"]),
            irt=irt, issuer=html.escape(r["issuer"]), status=r["status"], inner=inner)


def sign(server, xml, element, ident, cert_file, alg):
    """An enveloped signature of the element with ID `ident`, by xmlsec1."""
    sig_alg, digest_alg = ALGS[alg]
    template = pre_signature_part(ident, cert_body(cert_file), digest_alg=digest_alg,
                                  sign_alg=sig_alg).to_string().decode()
    template = re.sub(r"^<\?xml[^>]*\?>\s*", "", template)
    # After the element's own Issuer, where the schema puts the Signature.
    at = xml.index('ID="%s"' % ident)
    issuer_end = re.compile(r"</(\w+:)?Issuer>").search(xml, at).end()
    xml = xml[:issuer_end] + template + xml[issuer_end:]
    return server.sec.sign_statement(xml, "%s:%s" % ({"Assertion": SAML, "Response": SAMLP}[element],
                                                     element), node_id=ident)


XENC = "http://www.w3.org/2001/04/xmlenc#"
XENC11 = "http://www.w3.org/2009/xmlenc11#"


def encrypt(d, xml, assertion_id, method, cert_pem):
    """The Assertion with ID `assertion_id` replaced by an EncryptedAssertion
    for `cert_pem`, by the xmlsec1 command line (AES content encryption, the
    session key wrapped with RSA-OAEP)."""
    ns = XENC11 if method.endswith("gcm") else XENC
    template = (
        '<xenc:EncryptedData xmlns:xenc="%s" Type="%sElement">'
        '<xenc:EncryptionMethod Algorithm="%s%s"/>'
        '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey>'
        '<xenc:EncryptionMethod Algorithm="%srsa-oaep-mgf1p">'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>'
        '</xenc:EncryptionMethod><xenc:CipherData><xenc:CipherValue/></xenc:CipherData>'
        '</xenc:EncryptedKey></ds:KeyInfo>'
        '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>'
        % (XENC, XENC, ns, method, XENC))
    m = re.search(r'<(\w+:)?Assertion\b[^>]*ID="%s".*?</\1Assertion>' % assertion_id, xml, re.S)
    files = {n: os.path.join(d, n) for n in ("enc-template.xml", "enc-data.xml", "enc-cert.pem")}
    for name, text in (("enc-template.xml", template), ("enc-data.xml", m.group(0)),
                       ("enc-cert.pem", cert_pem)):
        with open(files[name], "w") as f:
            f.write(text)
    out = subprocess.run(
        ["xmlsec1", "--encrypt", "--pubkey-cert-pem", files["enc-cert.pem"],
         "--session-key", "aes-" + method[3:6], "--xml-data", files["enc-data.xml"],
         "--node-xpath", "/*", files["enc-template.xml"]],
        check=True, capture_output=True, text=True).stdout
    out = re.sub(r"^<\?xml[^>]*\?>\s*", "", out)
    return xml.replace(m.group(0), '<saml:EncryptedAssertion>%s</saml:EncryptedAssertion>'
                       % out.strip(), 1)


def respond(d, sp_metadata, redirect_url, name_id, attributes):
    entity_id, sso_url = open(os.path.join(d, "entity")).read().split()
    mode = os.environ.get("IDP_MODE", "")
    shape = "none" if mode == "unsigned" else os.environ.get("IDP_SIGN", "assertion")
    if mode == "tampered-response":
        shape = "response"
    key = {"next-key": "idp-next", "rogue-key": "idp-rogue"}.get(mode, "idp")
    server = Server(config=config(d, entity_id, sso_url, sp_metadata, key=key))
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(redirect_url).query))
    req = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT).message
    sp_cert = server.metadata.certs(req.issuer.text, "spsso", "signing")
    if not any(verify_redirect_signature(query, server.sec.sec_backend, cert=c)
               for c in sp_cert):
        sys.exit("the AuthnRequest's signature does not verify")
    if os.environ.get("IDP_EXPECT_FORMAT") is not None:
        policy = req.name_id_policy.format if req.name_id_policy is not None else ""
        if (policy or "") != os.environ["IDP_EXPECT_FORMAT"]:
            sys.exit("NameIDPolicy format %r, expected %r"
                     % (policy, os.environ["IDP_EXPECT_FORMAT"]))
    if os.environ.get("IDP_EXPECT_FORCE") and str(req.force_authn).lower() != "true":
        sys.exit("ForceAuthn expected, the request has %r" % req.force_authn)
    if os.environ.get("IDP_EXPECT_CONTEXT"):
        asked = req.requested_authn_context
        refs = [r.text for r in asked.authn_context_class_ref] if asked is not None else []
        if refs != [os.environ["IDP_EXPECT_CONTEXT"]]:
            sys.exit("RequestedAuthnContext %r, expected %r"
                     % (refs, os.environ["IDP_EXPECT_CONTEXT"]))
    destination = req.assertion_consumer_service_url
    sp_entity = req.issuer.text
    solicited = mode not in ("unsolicited", "wrapped-unsolicited")
    a = {"id": "_a" + secrets.token_hex(16), "issuer": entity_id, "name_id": name_id,
         "format": os.environ.get("IDP_FORMAT", NAMEID_FORMAT_PERSISTENT),
         "recipient": destination, "subject_irt": req.id if solicited else "",
         "lifetime": -10 if mode == "expired" else 5,
         "attributes": attributes, "style": os.environ.get("IDP_STYLE", "prefixed"),
         "context": os.environ.get(
             "IDP_AUTHN_CONTEXT",
             "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")}
    a["audiences"] = ["https://somebody-else.example.com/sp" if mode == "other-audience"
                      else sp_entity]
    if mode == "two-audiences":
        a["audiences"].append("https://somebody-else.example.com/sp")
    if mode == "two-audiences-ok":
        a["audiences"].append(sp_entity)
    r = {"id": "_r" + secrets.token_hex(16), "issuer": entity_id,
         "destination": ("https://somebody-else.example.com/acs"
                         if mode == "other-destination" else destination),
         "irt": req.id if solicited or mode == "wrapped-unsolicited" else "",
         "status": "Responder" if mode == "error-status" else "Success"}
    inner = "" if mode == "error-status" else assertion_xml(a)
    xml = response_xml(r, inner)
    cert, alg = os.path.join(d, key + ".pem"), os.environ.get("IDP_ALG", "sha256")
    if shape in ("assertion", "both") and inner:
        xml = sign(server, xml, "Assertion", a["id"], cert, alg)
    if os.environ.get("IDP_ENCRYPT") and inner:
        if os.environ.get("IDP_ENCRYPT_TO") == "rogue":
            enc_cert = open(os.path.join(d, "idp-rogue.pem")).read()
        else:
            bodies = server.metadata.certs(sp_entity, "spsso", "encryption")
            if not bodies:
                sys.exit("the SP metadata publishes no encryption certificate")
            enc_cert = bodies[0] if bodies[0].startswith("-----BEGIN") else (
                "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n" % bodies[0])
        xml = encrypt(d, xml, a["id"], os.environ["IDP_ENCRYPT"], enc_cert)
    if shape in ("response", "both") or mode == "error-status":
        xml = sign(server, xml, "Response", r["id"], cert, alg)
    if mode == "wrapped":
        signed = re.search(r"<(\w+:)?Assertion\b.*?</\1Assertion>", xml, re.S).group(0)
        evil = re.sub(r"<(\w+):Signature\b.*?</\1:Signature>", "", signed, flags=re.S)
        evil = evil.replace(name_id, "victim").replace('ID="', 'ID="evil', 1)
        xml = xml.replace(signed, evil + signed, 1)
    if mode == "duplicate-id":  # in the unsigned Response, before the Assertion
        xml = xml.replace("</samlp:Status>", '</samlp:Status><samlp:Extensions>'
                          '<saml:Issuer ID="%s">%s</saml:Issuer></samlp:Extensions>'
                          % (a["id"], entity_id), 1)
    if mode == "tampered-response":
        xml = xml.replace(">" + name_id + "<", ">victim<", 1)
    if os.environ.get("IDP_DUMP"):  # keeps each answer, e.g. for the fuzz corpus
        name = "-".join(x for x in (mode, shape, a["style"], a["id"][-6:]) if x)
        with open(os.path.join(os.environ["IDP_DUMP"], name + ".xml"), "w") as f:
            f.write(xml)
    print(base64.b64encode(xml.encode()).decode())
    print(query.get("RelayState", ""))


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)  # stdout carries the answer only
    if sys.argv[1] == "init":
        init(*sys.argv[2:5])
    elif sys.argv[1] == "metadata":
        metadata(*sys.argv[2:6])
    elif sys.argv[1] == "respond":
        respond(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
    else:
        sys.exit(__doc__)
