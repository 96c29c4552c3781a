#!/usr/bin/env python3
"""Regenerates testdata/encrypted/: encrypted SAML responses for the tests.

TEST-ONLY material. Needs python3 (standard library only), the openssl CLI
and the xmlsec1 CLI (Debian: `apt-get install -y xmlsec1 openssl`). The
tests never run this; they read the committed output.

  python3 testdata/encrypted/generate.py          # from the crate root

What it does:
- keys/: the service provider's encryption key pair (made once, kept if
  present) and a second, unrelated key (the "wrong key" of the tests).
- The signed Assertion is taken byte-for-byte from
  testdata/fixtures/assertion-rsa2048.xml (signed by the test IdP key
  rsa2048); the "attacker-signed" one from assertion-rsa3072.xml.
- Content encryption and RSA-OAEP-MGF1P / RSA-1_5 key transport are done by
  `xmlsec1 --encrypt` with the templates in templates/. xmlsec1 1.2 has no
  xmlenc11#rsa-oaep nor an OAEP digest other than SHA-1, so the
  `oaep11-sha256-*` cases re-wrap xmlsec1's session key with
  `openssl pkeyutl` (OAEP, SHA-256 digest, MGF1-SHA-256); the content
  ciphertext is xmlsec1's.
- The Response-signed case is signed by `xmlsec1 --sign` with the test IdP
  key after encryption, so its signature covers the EncryptedAssertion.
- attacks/: the attacks.md E01-E04 cases, derived from the above by text
  edits (see attacks/README.md for the expected codes).
"""

import base64
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "testdata", "fixtures")
KEYS = os.path.join(HERE, "keys")
TEMPLATES = os.path.join(HERE, "templates")
ATTACKS = os.path.join(HERE, "attacks")

XENC = "http://www.w3.org/2001/04/xmlenc#"
GCM = "http://www.w3.org/2009/xmlenc11#aes{bits}-gcm"
CBC = "http://www.w3.org/2001/04/xmlenc#aes{bits}-cbc"
MGF1P = XENC + "rsa-oaep-mgf1p"
RSA15 = XENC + "rsa-1_5"
OAEP11 = "http://www.w3.org/2009/xmlenc11#rsa-oaep"


def run(args, stdin=None):
    out = subprocess.run(args, input=stdin, capture_output=True, check=False)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr.decode()}")
    return out.stdout


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def keys():
    os.makedirs(KEYS, exist_ok=True)
    for name, cn in [("sp-encryption", "saml-inspect TEST SP encryption key"),
                     ("sp-other", "saml-inspect TEST unrelated key")]:
        key = os.path.join(KEYS, f"{name}.key.pem")
        cert = os.path.join(KEYS, f"{name}.cert.pem")
        if not os.path.exists(key):
            run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                 "-out", cert, "-days", "3650", "-subj", f"/CN={cn}"])
    # The same key in the traditional "RSA PRIVATE KEY" form, for the CLI.
    traditional = os.path.join(KEYS, "sp-encryption.rsa.pem")
    if not os.path.exists(traditional):
        run(["openssl", "rsa", "-traditional", "-in", os.path.join(KEYS, "sp-encryption.key.pem"),
             "-out", traditional])


def assertion_of(fixture):
    text = read(os.path.join(FIXTURES, fixture))
    start = text.index("<Assertion ")
    end = text.index("</Assertion>") + len("</Assertion>")
    return text, text[start:end]


def unsigned(assertion):
    return re.sub(r'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">.*?</Signature>', "",
                  assertion, count=1, flags=re.S)


def template(content, transport):
    """An EncryptedData template: content algorithm URI, key transport URI."""
    return (
        f'<xenc:EncryptedData xmlns:xenc="{XENC}" Id="_ed1" Type="{XENC}Element">'
        f'<xenc:EncryptionMethod Algorithm="{content}"/>'
        '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        f'<xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="{transport}"/>'
        '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey>'
        '</ds:KeyInfo><xenc:CipherData><xenc:CipherValue/></xenc:CipherData>'
        '</xenc:EncryptedData>\n'
    )


def encrypt(assertion, content_uri, bits, transport_uri, name):
    """xmlsec1 encrypts the Assertion element; returns the EncryptedData XML."""
    tmpl_path = os.path.join(TEMPLATES, f"{name}.xml")
    write(tmpl_path, template(content_uri, transport_uri))
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "assertion.xml")
        write(data, assertion)
        out = run(["xmlsec1", "--encrypt", "--session-key", f"aes-{bits}", "--pubkey-cert-pem",
                   os.path.join(KEYS, "sp-encryption.cert.pem"), "--xml-data", data, tmpl_path])
    text = out.decode()
    return text[text.index("<xenc:EncryptedData"):].strip()


def rewrap_oaep11(encrypted_data):
    """Re-wraps the session key with xmlenc11#rsa-oaep, SHA-256 and MGF1-SHA-256."""
    match = re.search(r"<xenc:EncryptedKey>.*?<xenc:CipherValue>(.*?)</xenc:CipherValue>",
                      encrypted_data, re.S)
    wrapped = base64.b64decode(match.group(1))
    key = os.path.join(KEYS, "sp-encryption.key.pem")
    cert = os.path.join(KEYS, "sp-encryption.cert.pem")
    session = run(["openssl", "pkeyutl", "-decrypt", "-inkey", key,
                   "-pkeyopt", "rsa_padding_mode:oaep"], stdin=wrapped)
    rewrapped = run(["openssl", "pkeyutl", "-encrypt", "-certin", "-inkey", cert,
                     "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256",
                     "-pkeyopt", "rsa_mgf1_md:sha256"], stdin=session)
    method = (f'<xenc:EncryptionMethod Algorithm="{OAEP11}">'
              '<ds:DigestMethod xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
              'Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
              '<xenc11:MGF xmlns:xenc11="http://www.w3.org/2009/xmlenc11#" '
              'Algorithm="http://www.w3.org/2009/xmlenc11#mgf1sha256"/></xenc:EncryptionMethod>')
    text = encrypted_data.replace(f'<xenc:EncryptionMethod Algorithm="{MGF1P}"/>', method, 1)
    return text.replace(match.group(1), base64.b64encode(rewrapped).decode(), 1)


def response(outer_fixture_text, encrypted_data):
    """The fixture's Response with its Assertion replaced by an EncryptedAssertion."""
    start = outer_fixture_text.index("<Assertion ")
    end = outer_fixture_text.index("</Assertion>") + len("</Assertion>")
    wrapped = ('<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
               + encrypted_data + "</saml:EncryptedAssertion>")
    return outer_fixture_text[:start] + wrapped + outer_fixture_text[end:]


RESPONSE_SIGNATURE = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI="#{id}"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>'
    '</ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo>'
    '</ds:Signature>')


ASSERTION_SIGNATURE = RESPONSE_SIGNATURE.replace("ds:", "").replace(
    'Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"', 'Signature xmlns="http://www.w3.org/2000/09/xmldsig#"')


def xmlsec_sign(text, element, template, id_attr):
    """xmlsec1 signs `element` (after its Issuer) with the test IdP key;
    `id_attr` is the `--id-attr:ID` node name (namespace:local)."""
    element_id = re.search(rf'<{element} [^>]*ID="([^"]+)"', text).group(1)
    issuer_end = text.index("</Issuer>") + len("</Issuer>")
    tmpl = text[:issuer_end] + template.format(id=element_id) + text[issuer_end:]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "unsigned.xml")
        write(path, tmpl)
        key = os.path.join(FIXTURES, "rsa2048.key.pem")
        cert = os.path.join(FIXTURES, "rsa2048.cert.pem")
        out = run(["xmlsec1", "--sign", "--privkey-pem", f"{key},{cert}", "--id-attr:ID",
                   id_attr, path])
    return out.decode()


def encrypted_id(outer, assertion):
    """The Assertion with its NameID replaced by an EncryptedID (xmlsec1
    encrypts the NameID element), then signed by xmlsec1 with the test IdP key."""
    name_id = re.search(r"<NameID [^>]*>[^<]*</NameID>", assertion).group(0)
    return encrypted_within(outer, assertion, name_id, "<NameID ", "EncryptedID")


def encrypted_attribute(outer, assertion):
    """The Assertion with its RoleSessionName Attribute replaced by an
    EncryptedAttribute, then signed by xmlsec1 with the test IdP key."""
    attribute = re.search(
        r'<Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName">.*?</Attribute>',
        assertion).group(0)
    return encrypted_within(outer, assertion, attribute, "<Attribute ", "EncryptedAttribute")


def encrypted_within(outer, assertion, element, start_tag, wrapper):
    """`element` of the Assertion encrypted (AES-128-GCM, RSA-OAEP-MGF1P) into
    a `wrapper`, the Assertion signed by xmlsec1, and put back in `outer`."""
    standalone = element.replace(start_tag, start_tag + 'xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ', 1)
    data = encrypt(standalone, GCM.format(bits=128), 128, MGF1P, "aes128-gcm-oaep-mgf1p")
    text = assertion.replace(element, f"<{wrapper}>" + data + f"</{wrapper}>", 1)
    signed = xmlsec_sign(text, "Assertion", ASSERTION_SIGNATURE,
                         "urn:oasis:names:tc:SAML:2.0:assertion:Assertion")
    signed = signed[signed.index("<Assertion "):].strip()
    start = outer.index("<Assertion ")
    end = outer.index("</Assertion>") + len("</Assertion>")
    return outer[:start] + signed + outer[end:]


def sign_response(text):
    """xmlsec1 signs the Response (after its Issuer) with the test IdP key."""
    return xmlsec_sign(text, "samlp:Response", RESPONSE_SIGNATURE,
                       "urn:oasis:names:tc:SAML:2.0:protocol:Response")


def retrieval_method(text):
    """Moves the EncryptedKey beside the EncryptedData and points at it with a
    ds:RetrievalMethod (what Shibboleth and OpenSAML produce)."""
    match = re.search(r"<xenc:EncryptedKey>.*?</xenc:EncryptedKey>", text, re.S)
    key = match.group(0).replace(
        "<xenc:EncryptedKey>",
        f'<xenc:EncryptedKey xmlns:xenc="{XENC}" Id="_ek1">', 1).replace(
        "</xenc:CipherData></xenc:EncryptedKey>",
        '</xenc:CipherData><xenc:ReferenceList><xenc:DataReference URI="#_ed1"/>'
        "</xenc:ReferenceList></xenc:EncryptedKey>", 1)
    text = text.replace(
        match.group(0),
        '<ds:RetrievalMethod Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey" URI="#_ek1"/>', 1)
    return text.replace("</xenc:EncryptedData>", "</xenc:EncryptedData>" + key, 1)


def carried_key_name(text):
    """The EncryptedKey beside the EncryptedData, matched by KeyName /
    CarriedKeyName (no RetrievalMethod)."""
    match = re.search(r"<xenc:EncryptedKey>.*?</xenc:EncryptedKey>", text, re.S)
    key = match.group(0).replace("<xenc:EncryptedKey>", f'<xenc:EncryptedKey xmlns:xenc="{XENC}">', 1)
    key = key.replace("</xenc:EncryptedKey>",
                      "<xenc:CarriedKeyName>session-key-1</xenc:CarriedKeyName></xenc:EncryptedKey>", 1)
    text = text.replace(match.group(0), "<ds:KeyName>session-key-1</ds:KeyName>", 1)
    return text.replace("</xenc:EncryptedData>", "</xenc:EncryptedData>" + key, 1)


def flip_base64(text, which, byte_from_end=None, byte_at=None):
    """Flips one bit of the `which`-th CipherValue (0: the EncryptedKey's, 1:
    the content's) at a byte offset, and re-encodes it."""
    values = list(re.finditer(r"<xenc:CipherValue>(.*?)</xenc:CipherValue>", text, re.S))
    value = values[which]
    data = bytearray(base64.b64decode(value.group(1)))
    index = len(data) - byte_from_end if byte_from_end is not None else byte_at
    data[index] ^= 0x01
    return text[:value.start(1)] + base64.b64encode(bytes(data)).decode() + text[value.end(1):]


def attacks(cases, outer, evil):
    cbc = cases["oaep-mgf1p-aes128-cbc.xml"]
    gcm = cases["oaep-mgf1p-aes256-gcm.xml"]
    write(os.path.join(ATTACKS, "E01-cbc-last-block-flipped.xml"), flip_base64(cbc, 1, byte_from_end=17))
    write(os.path.join(ATTACKS, "E01-cbc-padding-byte-flipped.xml"), flip_base64(cbc, 1, byte_from_end=1))
    write(os.path.join(ATTACKS, "E01-cbc-iv-flipped.xml"), flip_base64(cbc, 1, byte_at=3))
    relabelled = gcm.replace(GCM.format(bits=256), CBC.format(bits=256), 1).replace(MGF1P, RSA15, 1)
    write(os.path.join(ATTACKS, "E02-gcm-relabelled-cbc-rsa1_5.xml"), relabelled)
    write(os.path.join(ATTACKS, "E02-gcm-relabelled-cbc.xml"),
          gcm.replace(GCM.format(bits=256), CBC.format(bits=256), 1))
    write(os.path.join(ATTACKS, "E03-unsigned-evil-assertion.xml"),
          response(outer, encrypt(evil, GCM.format(bits=256), 256, MGF1P, "aes256-gcm-oaep-mgf1p")))
    # The genuine signed Assertion stays; the attacker's EncryptedAssertion is added beside it.
    assertion_end = outer.index("</Assertion>") + len("</Assertion>")
    added = re.search(r"<saml:EncryptedAssertion.*</saml:EncryptedAssertion>",
                      read(os.path.join(ATTACKS, "E03-unsigned-evil-assertion.xml")), re.S).group(0)
    write(os.path.join(ATTACKS, "E03-added-beside-signed-assertion.xml"),
          outer[:assertion_end] + added + outer[assertion_end:])
    write(os.path.join(ATTACKS, "E03-attacker-signed-assertion.xml"), cases["attacker-signed.xml"])
    write(os.path.join(ATTACKS, "E04-cipher-reference.xml"), re.sub(
        r"(</ds:KeyInfo>)<xenc:CipherData><xenc:CipherValue>.*?</xenc:CipherValue></xenc:CipherData>",
        r'\1<xenc:CipherData><xenc:CipherReference URI="http://127.0.0.1:9/"/></xenc:CipherData>',
        gcm, count=1, flags=re.S))
    retrieval = cases["retrieval-method-oaep-mgf1p-aes256-gcm.xml"]
    write(os.path.join(ATTACKS, "E04-retrieval-external-uri.xml"),
          retrieval.replace('URI="#_ek1"/>', 'URI="http://127.0.0.1:9/key.xml"/>', 1))
    write(os.path.join(ATTACKS, "E04-retrieval-self-loop.xml"), retrieval.replace(
        'URI="#_ek1"/>', 'URI="#_rm1" Id="_rm1"/>', 1))
    write(os.path.join(ATTACKS, "E04-retrieval-xslt.xml"), retrieval.replace(
        'URI="#_ek1"/>',
        'URI="#_ek1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">'
        '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">'
        '<xsl:template match="/"><xsl:value-of select="document(\'http://127.0.0.1:9/\')"/>'
        '</xsl:template></xsl:stylesheet></ds:Transform></ds:Transforms></ds:RetrievalMethod>', 1))
    key = re.search(r"<xenc:EncryptedKey .*?</xenc:EncryptedKey>", retrieval, re.S).group(0)
    unlinked = re.sub(r' Id="_ek1"|<xenc:ReferenceList>.*?</xenc:ReferenceList>', "", key)
    write(os.path.join(ATTACKS, "E04-thousand-encrypted-keys.xml"),
          gcm.replace("</xenc:EncryptedData>", "</xenc:EncryptedData>" + unlinked * 1000, 1))
    inner = re.search(r"<xenc:EncryptedKey>.*?</xenc:EncryptedKey>", gcm, re.S).group(0)
    chained = inner.replace(
        '"/><xenc:CipherData>',
        '"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">' + inner + "</ds:KeyInfo><xenc:CipherData>", 1)
    write(os.path.join(ATTACKS, "E04-chained-encrypted-key.xml"), gcm.replace(inner, chained, 1))


def main():
    keys()
    outer, signed = assertion_of("assertion-rsa2048.xml")
    _, attacker_signed = assertion_of("assertion-rsa3072.xml")
    plain = unsigned(signed)
    evil = plain.replace("alice.example@contoso.com</NameID>", "admin@contoso.com</NameID>", 1)
    cases = {}
    for bits in (128, 192, 256):
        data = encrypt(signed, GCM.format(bits=bits), bits, MGF1P, f"aes{bits}-gcm-oaep-mgf1p")
        cases[f"oaep-mgf1p-aes{bits}-gcm.xml"] = response(outer, data)
        cases[f"oaep11-sha256-aes{bits}-gcm.xml"] = response(outer, rewrap_oaep11(data))
    cases["oaep-mgf1p-aes128-cbc.xml"] = response(
        outer, encrypt(signed, CBC.format(bits=128), 128, MGF1P, "aes128-cbc-oaep-mgf1p"))
    cases["oaep-mgf1p-aes256-cbc.xml"] = response(
        outer, encrypt(signed, CBC.format(bits=256), 256, MGF1P, "aes256-cbc-oaep-mgf1p"))
    cases["rsa1_5-aes256-gcm.xml"] = response(
        outer, encrypt(signed, GCM.format(bits=256), 256, RSA15, "aes256-gcm-rsa1_5"))
    unsigned_gcm = response(outer, encrypt(plain, GCM.format(bits=256), 256, MGF1P, "aes256-gcm-oaep-mgf1p"))
    cases["unsigned-oaep-mgf1p-aes256-gcm.xml"] = unsigned_gcm
    cases["response-signed-oaep-mgf1p-aes256-gcm.xml"] = sign_response(unsigned_gcm)
    cases["retrieval-method-oaep-mgf1p-aes256-gcm.xml"] = retrieval_method(
        cases["oaep-mgf1p-aes256-gcm.xml"])
    cases["carried-key-name-oaep-mgf1p-aes256-gcm.xml"] = carried_key_name(
        cases["oaep-mgf1p-aes256-gcm.xml"])
    cases["attacker-signed.xml"] = response(
        outer, encrypt(attacker_signed, GCM.format(bits=256), 256, MGF1P, "aes256-gcm-oaep-mgf1p"))
    cases["encrypted-id-signed-assertion.xml"] = encrypted_id(outer, plain)
    cases["encrypted-attribute-signed-assertion.xml"] = encrypted_attribute(outer, plain)
    for name, text in cases.items():
        if name != "attacker-signed.xml":
            write(os.path.join(HERE, name), text)
    attacks(cases, outer, evil)


if __name__ == "__main__":
    main()
