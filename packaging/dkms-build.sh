#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the hotpatch core against a kernel tree (DKMS's MAKE[0]), trusting
# the certificates in the keys directory (default /etc/hotpatch/keys.d):
# each file that is an X.509 certificate, DER or PEM, becomes part of the
# DER list HOTPATCH_CERTS the core builds into its keyring.
#   dkms-build.sh KERNEL_BUILD_DIR [KEYS_DIR]
#   dkms-build.sh --clean
set -eu
here=$(cd "$(dirname "$0")" && pwd)
certs=$here/certs.der
if [ "${1:-}" = --clean ]; then
	cd "$here/kernel"
	rm -f ./*.o ./*.ko ./*.mod ./*.mod.c ./.*.cmd Module.symvers \
		modules.order "$certs"
	exit 0
fi
kdir=${1:?usage: dkms-build.sh KERNEL_BUILD_DIR [KEYS_DIR]}
keys=${2:-${HOTPATCH_KEYS_DIR:-/etc/hotpatch/keys.d}}
: >"$certs"
n=0
for f in "$keys"/*; do
	[ -f "$f" ] || continue
	if openssl x509 -inform DER -in "$f" -noout 2>/dev/null; then
		openssl x509 -inform DER -in "$f" -outform DER >>"$certs"
	elif openssl x509 -inform PEM -in "$f" -noout 2>/dev/null; then
		openssl x509 -inform PEM -in "$f" -outform DER >>"$certs"
	else
		echo "hotpatch-dkms: $f is not an X.509 certificate: skipped" >&2
		continue
	fi
	n=$((n + 1))
	echo "hotpatch-dkms: trusting $f"
done
if [ "$n" -gt 0 ]; then
	make -C "$kdir" M="$here/kernel" HOTPATCH_CERTS="$certs" modules
else
	echo "hotpatch-dkms: no certificate in $keys: the core is built" \
		"trusting none ('hotpatch keys add CERT' adds one at run time)" >&2
	make -C "$kdir" M="$here/kernel" modules
fi
