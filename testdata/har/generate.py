#!/usr/bin/env python3
"""Builds the HAR captures in this folder from the signed fixtures in ../fixtures.

Run from this folder: python3 generate.py. Deterministic (fixed times and IDs).
"""
import base64, json, urllib.parse, zlib

FIX = "../fixtures/"
TENANT = "8256aa56-5196-41e1-afa0-a52d35c98bf9"
IDC_ACS = "https://eu-central-1.signin.aws.amazon.com/platform/saml/acs/2f0c5f43-7a0c-4b8b-8d34-0a1b2c3d4e5f"
PORTAL = "https://d-99670c1e2f.awsapps.com/start/"
RELAY = "https://eu-central-1.console.aws.amazon.com/connect/federate/6c1e2f3a-4b5c-4d6e-8f70-91a2b3c4d5e6?destination=%2Fccp-v2"

AUTHN_REQUEST = (
    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
    'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1b2c3d4e5f60718293a4b5c6d7e8f90" '
    'Version="2.0" IssueInstant="2026-11-01T11:59:50Z" '
    f'Destination="https://login.microsoftonline.com/{TENANT}/saml2" '
    f'AssertionConsumerServiceURL="{IDC_ACS}" '
    'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
    '<saml:Issuer>https://eu-central-1.signin.aws.amazon.com/platform/saml/d-99670c1e2f</saml:Issuer>'
    '</samlp:AuthnRequest>'
)


def redirect_value(xml):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = c.compress(xml.encode()) + c.flush()
    return urllib.parse.quote(base64.b64encode(raw).decode(), safe="")


def post_value(xml):
    return base64.b64encode(xml.encode()).decode()


DAY = "2026-11-01T11:59"


def entry(t, method, url, status=200, post=None, body=""):
    e = {
        "startedDateTime": f"{DAY}:{t:02d}.000Z",
        "time": 120,
        "request": {
            "method": method, "url": url, "httpVersion": "HTTP/2",
            "headers": [{"name": "user-agent", "value": "Mozilla/5.0"}],
            "queryString": [], "cookies": [], "headersSize": -1,
            "bodySize": len(post["text"]) if post else 0,
        },
        "response": {
            "status": status, "statusText": "", "httpVersion": "HTTP/2",
            "headers": [{"name": "content-type", "value": "text/html"}], "cookies": [],
            "content": {"size": len(body), "mimeType": "text/html", "text": body},
            "redirectURL": "", "headersSize": -1, "bodySize": len(body),
        },
        "cache": {}, "timings": {"send": 1, "wait": 100, "receive": 19},
    }
    if post:
        e["request"]["postData"] = post
    return e


def form(pairs):
    text = "&".join(f"{k}={urllib.parse.quote(v, safe='')}" for k, v in pairs)
    return {"mimeType": "application/x-www-form-urlencoded", "text": text}


def params(pairs):
    # Chrome also lists the parsed parameters, values still URL-encoded.
    return {
        "mimeType": "application/x-www-form-urlencoded",
        "text": "&".join(f"{k}={urllib.parse.quote(v, safe='')}" for k, v in pairs),
        "params": [{"name": k, "value": urllib.parse.quote(v, safe="")} for k, v in pairs],
    }


def har(entra_response, aws_response, aws_body=None, relay=RELAY):
    entries = [
        entry(40, "GET", PORTAL, body="<html>AWS access portal</html>"),
        entry(41, "GET", f"https://login.microsoftonline.com/{TENANT}/saml2?SAMLRequest="
              + redirect_value(AUTHN_REQUEST) + "&RelayState=" + urllib.parse.quote(PORTAL, safe=""),
              body="<html>Sign in to your account</html>"),
        entry(45, "POST", f"https://login.microsoftonline.com/{TENANT}/login",
              post=form([("login", "alice.example@contoso.com"), ("passwd", "not-recorded")])),
        entry(46, "POST", IDC_ACS, status=302, post=params([("SAMLResponse", post_value(entra_response)),
                                                           ("RelayState", PORTAL)])),
        entry(50, "POST", "https://signin.aws.amazon.com/saml", status=302,
              post={"mimeType": "application/x-www-form-urlencoded", "text": aws_body} if aws_body
              else form([("SAMLResponse", post_value(aws_response)), ("RelayState", relay)])),
        entry(51, "GET", urllib.parse.unquote(relay), status=302),
        entry(52, "GET", "https://example-instance.my.connect.aws/ccp-v2", body="<html>CCP</html>"),
    ]
    return {"log": {"version": "1.2", "creator": {"name": "generate.py", "version": "1"},
                    "pages": [], "entries": entries}}


def read(name):
    return open(FIX + name).read()


entra = read("response-rsa2048.xml")
aws = read("response-rsa3072.xml")
tampered = aws.replace(">3600<", ">43200<")
assert tampered != aws
untrusted_entra = read("response-ecp256.xml")

def flow_body(name):
    return open("../flow/" + name).read().strip()


def relay_of(body):
    return urllib.parse.unquote_plus(body.split("RelayState=", 1)[1].split("&")[0])


captures = [
    ("chain-ok.har", har(entra, aws)),
    ("chain-aws-response-tampered.har", har(entra, tampered)),
    ("chain-entra-untrusted-signer.har", har(untrusted_entra, aws)),
]
# The chain example of ../flow: Identity Center posts its response.txt to AWS sign-in.
DAY = "2026-11-02T09:00"
for name, body in [
    ("flow-chain-ok.har", "response.txt"),
    ("flow-chain-signed-with-new-cert.har", "broken/response-signed-with-new-cert.txt"),
    ("flow-chain-other-account.har", "broken/response-other-account.txt"),
    ("flow-chain-relay-state-other-region.har", "broken/response-relay-state-other-region.txt"),
]:
    b = flow_body(body)
    captures.append((name, har(entra, None, aws_body=b, relay=relay_of(b))))

for name, doc in captures:
    with open(name, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
