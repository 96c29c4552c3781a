# Generates random documents with an enveloped signature template (random
# namespace layouts, xml:* attributes, comments, PIs, escapes; random c14n
# methods and PrefixLists for the Reference and for SignedInfo) and signs them
# with the xmlsec1 CLI (libxml2's canonicalizer). Usage, from the repository
# root: python3 testdata/c14n/xmlsec1-differential/generate.py COUNT OUTDIR [FIRST_SEED]
import random, subprocess, sys, os
DS = "http://www.w3.org/2000/09/xmldsig#"
EC = "http://www.w3.org/2001/10/xml-exc-c14n#"
METHODS = ["http://www.w3.org/2001/10/xml-exc-c14n#", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
           "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"]
PREFIXES = ["a", "b", "c"]
URIS = ["urn:x", "urn:y", "urn:z", "http://e.org/q?a=1"]
TEXTS = ["hello", " &amp; ", "&amp;", "&lt;x&gt;", ">", "&#13;", "\r\n", "\t tab", "é ü", "\"q\" 'a'", "]]&gt;", "<![CDATA[<&>]]>", "<!-- c -->", "<?pi  data ?>", "<?pi2?>", "\n  "]
AVALS = ["v", "&amp;", "&lt;", ">", "&#9;", "&#10;", "&#13;", "&quot;", "'", "x y", "é", "\t", "a\nb"]

def gen(seed):
    r = random.Random(seed)
    out = []
    target_done = [False]
    def element(depth, scope, has_default):
        # scope: dict prefix->uri ; has_default: current default uri ("" none)
        decls = {}
        ndecl = r.choice([0, 0, 0, 1, 1, 2])
        for _ in range(ndecl):
            p = r.choice(PREFIXES + ["#d"])
            if p in decls: continue
            if p == "#d":
                decls[p] = r.choice(URIS + [""])
            else:
                decls[p] = r.choice(URIS)
        new_scope = dict(scope); default = has_default
        for p, u in decls.items():
            if p == "#d": default = u
            else: new_scope[p] = u
        choices = list(new_scope.keys()) + [None, None]
        ep = r.choice(choices)
        name = (ep + ":" if ep else "") + r.choice(["E", "F", "G"])
        attrs = []
        used = set()
        for _ in range(r.choice([0, 0, 1, 2, 3])):
            ap = r.choice(list(new_scope.keys()) + [None, None, "xml"])
            local = r.choice(["m", "n", "o"]) if ap != "xml" else r.choice(["lang", "space", "base"])
            uri = new_scope.get(ap, "") if ap not in (None, "xml") else ("X" if ap == "xml" else "")
            if (uri, local) in used: continue
            used.add((uri, local))
            val = "".join(r.choice(AVALS) for _ in range(r.randint(0, 3)))
            if ap == "xml" and local == "space": val = r.choice(["preserve", "default"])
            q = r.choice(['"', "'"])
            if q == '"': val = val.replace('"', "&quot;")
            else: val = val.replace("'", "&apos;")
            attrs.append(f'{(ap + ":") if ap else ""}{local}={q}{val}{q}')
        decl_txt = []
        for p, u in decls.items():
            decl_txt.append(f'xmlns="{u}"' if p == "#d" else f'xmlns:{p}="{u}"')
        items = decl_txt + attrs
        r.shuffle(items)
        ws = lambda: r.choice([" ", " ", "\n  ", "\t"])
        out.append("<" + name + "".join(ws() + i for i in items) + ws() * r.randint(0, 1))
        children = r.randint(0, 3) if depth < 5 else 0
        is_target = (not target_done[0]) and depth >= 1 and r.random() < 0.35
        if is_target:
            target_done[0] = True
        if children == 0 and not is_target and depth > 0 and r.random() < 0.5:
            out.append("/>")
            return
        out.append(">")
        if depth == 0:
            out.append("<ROOTSTART/>")
        if is_target:
            out.append("<TGT/>")  # placeholder for the target element
        for _ in range(children):
            if r.random() < 0.5:
                out.append(r.choice(TEXTS))
            element(depth + 1, new_scope, default)
        if r.random() < 0.5:
            out.append(r.choice(TEXTS))
        out.append("</" + name + ">")
    element(0, {}, "")
    doc = "".join(out)
    if "<TGT/>" not in doc:
        doc = doc.replace("<ROOTSTART/>", "<TGT/>", 1)
    doc = doc.replace("<ROOTSTART/>", "", 1)
    # the target element with the signature template
    method = r.choice(METHODS)
    sim = r.choice(METHODS)
    plist = ""
    if "exc" in method and r.random() < 0.5:
        plist = " ".join(r.sample(PREFIXES + ["#default", "ds", "t"], r.randint(1, 3)))
    splist = ""
    if "exc" in sim and r.random() < 0.4:
        splist = " ".join(r.sample(PREFIXES + ["#default", "t"], r.randint(1, 2)))
    xptr = r.random() < 0.5
    uri = "#xpointer(id('target'))" if xptr else "#target"
    dsp = r.choice(["ds:", ""])
    dsdecl = f'xmlns:ds="{DS}"' if dsp else f'xmlns="{DS}"'
    def incl(pl):
        return f'<ec:InclusiveNamespaces xmlns:ec="{EC}" PrefixList="{pl}"/>' if pl else ""
    sig = (f'<{dsp}Signature {dsdecl}><{dsp}SignedInfo><{dsp}CanonicalizationMethod Algorithm="{sim}">{incl(splist)}</{dsp}CanonicalizationMethod>'
           f'<{dsp}SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
           f'<{dsp}Reference URI="{uri}"><{dsp}Transforms><{dsp}Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
           f'<{dsp}Transform Algorithm="{method}">{incl(plist)}</{dsp}Transform></{dsp}Transforms>'
           f'<{dsp}DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><{dsp}DigestValue></{dsp}DigestValue></{dsp}Reference></{dsp}SignedInfo>'
           f'<{dsp}SignatureValue/></{dsp}Signature>')
    tp = r.choice(["t:", ""])
    tdecl = 'xmlns:t="urn:t"' if tp else 'xmlns="urn:t"'
    inner = r.choice(["", "text &amp; more", "<t2:K xmlns:t2='urn:k' t2:z='1'>k</t2:K>", "<!--tc-->x<?tp q?>", "<a:L xmlns:a='urn:other'/>"]) if True else ""
    inner2 = r.choice(["", "<M/>", "<M xmlns=''>m</M>", "tail\r\n"])
    pre = r.choice([True, False])
    body = (sig + inner + inner2) if pre else (inner + sig + inner2)
    extra = r.choice(["", 'xml:lang="de"', 'b="&#13;"'])
    target = f'<{tp}T {tdecl} Id="target" {extra}>{body}</{tp}T>'
    doc = doc.replace("<TGT/>", target, 1)
    prolog = r.choice(["", '<?xml version="1.0"?>\n', "<!--pre-->\n", "<?top x?>"])
    epilog = r.choice(["", "\n<!--post-->", "<?end?>\n"])
    return prolog + doc + epilog

if __name__ == "__main__":
    n = int(sys.argv[1]); outdir = sys.argv[2]; start = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    key = "testdata/fixtures/rsa2048.key.pem"  # run from the repository root
    ok = 0
    for seed in range(start, start + n):
        doc = gen(seed)
        src = f"{outdir}/in-{seed}.xml"; dst = f"{outdir}/signed-{seed}.xml"
        open(src, "w").write(doc)
        res = subprocess.run(["xmlsec1", "--sign", "--privkey-pem", key, "--id-attr:Id", "urn:t:T", "--output", dst, src], capture_output=True, text=True)
        if res.returncode != 0:
            print(seed, "xmlsec failed:", res.stderr[:300]); continue
        ok += 1
    print("signed", ok, "of", n)
