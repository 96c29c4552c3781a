#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from testdata/ (the corpus directories are
# git-ignored; libFuzzer adds what it finds there). Safe to rerun: files are
# named after their testdata path, so a rerun overwrites instead of doubling.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus

# copy TARGET FILE...: each file under its testdata path, slashes as "__".
copy() {
    local target=$1
    shift
    mkdir -p "$corpus/$target"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$corpus/$target/${f//\//__}"
    done
}

shopt -s nullglob globstar

saml_messages=(testdata/fixtures/*.xml testdata/fixtures/*.b64 testdata/real-world/*Response*.xml
    testdata/real-world/*assertion*.xml testdata/vectors/saml-*/**/*.xml)
metadata=(testdata/metadata/**/*.xml testdata/real-world/*federationmetadata*.xml)
certificates=(testdata/**/*.pem testdata/**/*.crt testdata/**/*.cer testdata/**/*.der)
# Private keys are not certificates and have no business in a corpus.
certificates=("${certificates[@]//*key.pem/}")

copy decode_parse "${saml_messages[@]}" testdata/hostile/*.xml
copy c14n testdata/c14n/**/*.xml testdata/hostile/*.xml testdata/fixtures/response-rsa2048.xml \
    testdata/fixtures/both-ecp256.xml
copy saml_model "${saml_messages[@]}"
copy metadata "${metadata[@]}"
copy cert "${certificates[@]}"
copy aws testdata/aws/*.json

# The aws target reads one string as an ARN, a Role value list (split on
# line feeds), a relay state and a policy: seed each shape.
printf '%s' 'arn:aws:iam::123456789012:role/ConnectAgent' >"$corpus/aws/seed-role-arn"
printf '%s' 'arn:aws:iam::123456789012:saml-provider/EntraID' >"$corpus/aws/seed-provider-arn"
printf '%s' 'arn:aws:connect:us-west-2:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' \
    >"$corpus/aws/seed-connect-arn"
printf '%s\n%s' 'arn:aws:iam::123456789012:role/ConnectAgent,arn:aws:iam::123456789012:saml-provider/EntraID' \
    'arn:aws-us-gov:iam::123456789012:saml-provider/P,arn:aws-us-gov:iam::123456789012:role/path/R' \
    >"$corpus/aws/seed-role-values"
printf '%s' 'https://us-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fccp-v2%2Fchat&new_domain=true' \
    >"$corpus/aws/seed-relay-state"

# The verify target reads [fixture, edits...]: one seed per fixture with no
# edit, and a few single edits (insert a comment; a SignatureValue-area
# newline; delete; copy a range elsewhere).
mkdir -p "$corpus/verify"
for i in 0 1 2 3; do
    printf "\\x0$i" >"$corpus/verify/seed-fixture-$i"
    printf "\\x0$i\\x04\\x40\\x00\\x03" >"$corpus/verify/seed-comment-$i"
    printf "\\x0$i\\x04\\xe0\\x00\\x01" >"$corpus/verify/seed-newline-$i"
    printf "\\x0$i\\x02\\x80\\x00\\x08" >"$corpus/verify/seed-delete-$i"
    printf "\\x0$i\\x03\\x50\\x00\\x20\\x20\\x00" >"$corpus/verify/seed-copy-$i"
done

# The validate target reads [fixture, clock, options, edits...]: each
# fixture at noon with every options byte shape, unedited and with one edit.
mkdir -p "$corpus/validate"
for i in 0 1 2 3; do
    for o in 00 01 02 03 04 08 10; do
        printf "\\x0$i\\x80\\x$o" >"$corpus/validate/seed-fixture-$i-$o"
    done
    printf "\\x0$i\\x80\\x00\\x04\\x40\\x00\\x03" >"$corpus/validate/seed-comment-$i"
    printf "\\x0$i\\x80\\x00\\x03\\x50\\x00\\x20\\x20\\x00" >"$corpus/validate/seed-copy-$i"
    printf "\\x0$i\\x7c\\x00" >"$corpus/validate/seed-early-$i"
    printf "\\x0$i\\x84\\x00" >"$corpus/validate/seed-late-$i"
done

for d in "$corpus"/*/; do
    printf '%-14s %5d files\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done
