#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mk-noskid-certs.sh DIR N: N self-signed X.509 certificates without a
# subject key identifier (one throwaway RSA key; subjects "hotpatch
# no-skid test key <i> of the keyring scenario t3310" in an organisation,
# so that issuer and serial take more than 64 bytes and 70 lines of
# /sys/kernel/hotpatch/keys more than a page; serials 1001...), DER,
# concatenated into DIR/certs.der, for t3310 (built into hp-addkeys).
set -euo pipefail

dir=$1 n=$2
mkdir -p "$dir"
cat >"$dir/cnf" <<'CNF'
[req]
distinguished_name = dn
x509_extensions = ext
prompt = no
[dn]
CN = x
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = digitalSignature
subjectKeyIdentifier = none
authorityKeyIdentifier = none
CNF
[ -f "$dir/key.pem" ] || openssl genrsa -out "$dir/key.pem" 2048 2>/dev/null
: >"$dir/certs.der.new"
for i in $(seq 1 "$n"); do
	openssl req -x509 -new -key "$dir/key.pem" -config "$dir/cnf" \
		-subj "/O=hotpatch test organisation/OU=keyring scenarios/CN=hotpatch no-skid test key $i of the keyring scenario t3310" \
		-set_serial $((1000 + i)) \
		-days 36500 -outform DER -out "$dir/cert.der"
	cat "$dir/cert.der" >>"$dir/certs.der.new"
done
rm -f "$dir/cert.der"
mv "$dir/certs.der.new" "$dir/certs.der"
