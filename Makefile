# SPDX-License-Identifier: GPL-2.0
#
# hotpatch top-level build.
#
#   make          build the tools and the core module (no root, no network
#                 once the dependencies and the kernel are there; it says
#                 what is missing otherwise)
#   make deps     install the build and test dependencies from Debian's
#                 archive (as root; DEPS_ARGS=--packaging adds the packaging
#                 tools of `make deb`); no other target installs anything
#   make kernel   resolve and download (once) the test kernel
#   make all      also the test fixtures and the real patches
#                 (tests/realpatches, from Debian's source; boots the test
#                 kernel once for its facts)
#   make check    unit tests, fuzzing, shellcheck, VM scenarios and the
#                 source pipeline on the real kernel tree (what .ci/run calls)
#   make check-system  the Ansible ring rollout against two Debian guests
#                 (DEPS_ARGS=--packaging; not part of check)
#   make demo     boot the test kernel and live patch it, step by step
#   make bench    per-call cost of each redirect mode, the pause by patch
#                 size and thread count, convergence; beside livepatch
#   make bench-build  cold and warm seconds of `hotpatch-build build`
#
# Variables:
#   KVER=<abi>-cloud-amd64   Debian kernel to build for and boot (default:
#                            newest bookworm cloud kernel in the archive;
#                            KVER=6.12: the newest 6.12; docs/kernels.md)
#   KDIR=<dir>               build the modules against this tree instead
#   HOTPATCH_CACHE=<dir>     download cache (default ~/.cache/hotpatch)

export HOTPATCH_CACHE ?= $(HOME)/.cache/hotpatch
TOP := $(CURDIR)
BUILD := $(TOP)/build
export KVER

.PHONY: build all deps kernel tools modules core fixtures check unit vm demo \
	bench bench-modules test-tools fuzz fuzz-check stress qemu-check \
	shellcheck clean checkpatch FORCE
.DEFAULT_GOAL := build

build: tools core
all: tools modules realpatches
check: unit ansible-check fuzz-check shellcheck check-refs vm build-check \
	facts-check core-params-check

# The only target that installs packages (apt-get, as root). Every other
# one checks for them (scripts/deps.sh --check, once: the stamp) and stops
# with the list of what is missing.
DEPS_ARGS ?=
deps:
	scripts/deps.sh $(DEPS_ARGS)
DEPS_OK := $(BUILD)/.deps-ok
$(DEPS_OK): scripts/deps.sh
	@mkdir -p $(BUILD)
	@scripts/deps.sh --check
	@touch $@

# Resolve (and download, once) the target kernel; writes build/kernel.mk.
kernel: $(DEPS_OK)
	@scripts/fetch-kernel.sh $(BUILD)/kernel.mk

# Always re-resolved (cheap: no network once cached, and the file is
# rewritten only when it changes), so `make KVER=...` switches kernels.
$(BUILD)/kernel.mk: FORCE | $(DEPS_OK)
	@scripts/fetch-kernel.sh $@

FORCE:

# make install / make deb / make debian-check
include packaging/install.mk

# Only goals that touch the kernel resolve it; `make tools` and `make unit`
# work without a download.
KERNEL_GOALS := build all kernel modules core fixtures vm check demo bench stress \
	qemu-check \
	bench-modules checkpatch
KERNEL_GOALS += build-check realpatches facts-check bench-build core-params-check
ifneq ($(filter $(KERNEL_GOALS),$(or $(MAKECMDGOALS),build)),)
include $(BUILD)/kernel.mk
endif
KDIR ?= $(HP_KDIR)
export KDIR

tools: $(DEPS_OK)
	$(MAKE) -C tools

modules: core fixtures

# Small programs the VM scenarios use (a JSON parser for --json output).
test-tools: $(BUILD)/test-bin/jsonq $(BUILD)/test-bin/insmod1 \
	$(BUILD)/test-bin/hp-getppid-loop $(BUILD)/test-bin/hp-uname
$(BUILD)/test-bin/jsonq: tests/tools/jsonq.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -o $@ $< -ljson-c
$(BUILD)/test-bin/insmod1: tests/tools/insmod1.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -o $@ $<
$(BUILD)/test-bin/hp-getppid-loop: tests/tools/hp-getppid-loop.c \
		tests/fixtures/hp_stress.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -static -o $@ $<
test-tools: $(BUILD)/test-bin/hp-sleepers
$(BUILD)/test-bin/hp-sleepers: tests/tools/hp-sleepers.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -static -pthread -o $@ $<
# static and not PIE: int $0x80 needs a buffer below 4 GiB
$(BUILD)/test-bin/hp-uname: tests/tools/hp-uname.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -static -no-pie -o $@ $<

# Sleeping threads by the thousand (make bench).
test-tools: $(BUILD)/test-bin/hp-threads
$(BUILD)/test-bin/hp-threads: tests/tools/hp-threads.c | deps
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -static -pthread -o $@ $<

# Run a command as another uid (the unprivileged-reader scenarios).
test-tools: $(BUILD)/test-bin/hp-runas
$(BUILD)/test-bin/hp-runas: tests/tools/hp-runas.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -static -o $@ $<

# Throwaway signing keys, made at build time and never committed: the core
# is built trusting the first (HOTPATCH_CERTS: DER certificates built into
# its keyring) and every patch module the tests load is signed with it
# (tests/fixtures/sign.sh); nobody trusts the second (refusal tests).
HP_KEYS := $(BUILD)/keys
HP_KEYS_OTHER := $(BUILD)/keys-other
HOTPATCH_CERTS ?= $(HP_KEYS)/signing_cert.der
$(HP_KEYS)/signing_cert.der: | tools
	$(BUILD)/bin/hotpatch-sign keygen --out $(HP_KEYS) --bits 2048 \
		--cn "hotpatch build test key" >/dev/null
$(HP_KEYS_OTHER)/signing_cert.der: | tools
	$(BUILD)/bin/hotpatch-sign keygen --out $(HP_KEYS_OTHER) --bits 2048 \
		--cn "hotpatch untrusted test key" >/dev/null

# add_key(2) for the guest (the keyring scenarios), with the untrusted
# test certificate built in: the guest has no other way to get one.
test-tools: $(BUILD)/test-bin/hp-addkey
$(BUILD)/test-bin/hp-addkey: tests/tools/hp-addkey.c \
		$(HP_KEYS_OTHER)/signing_cert.der | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 \
		-DHP_ADDKEY_CERT='"$(HP_KEYS_OTHER)/signing_cert.der"' -o $@ $<

# hp-addkey with 70 certificates without a subject key id built in (one
# key; tests/tools/mk-noskid-certs.sh), added one after the other: more
# keys than a page of /sys/kernel/hotpatch/keys holds (t3310).
HP_NOSKID_CERTS := $(BUILD)/keys-noskid/certs.der
$(HP_NOSKID_CERTS): tests/tools/mk-noskid-certs.sh
	tests/tools/mk-noskid-certs.sh $(dir $@) 70
test-tools: $(BUILD)/test-bin/hp-addkeys
$(BUILD)/test-bin/hp-addkeys: tests/tools/hp-addkey.c $(HP_NOSKID_CERTS) | deps
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 \
		-DHP_ADDKEY_CERT='"$(HP_NOSKID_CERTS)"' -o $@ $<

core: $(BUILD)/kernel.mk $(HOTPATCH_CERTS)
	$(MAKE) -C $(KDIR) M=$(TOP)/kernel HOTPATCH_FAULT_INJECTION=y \
		HOTPATCH_CERTS=$(abspath $(HOTPATCH_CERTS)) modules

# Patch modules are signed after kbuild links them (a manifest derived
# from their descriptors; tests/fixtures/sign.sh), and unsigned before, so
# that kbuild links them afresh.
#
# Then the patch modules hotpatch-build makes itself (tests/fixtures/gen:
# hp_target and a vmlinux stand-in compiled twice with kbuild, diffed,
# generated, linked, signed) for t5050.
fixtures: $(BUILD)/kernel.mk tools core $(HP_KEYS)/signing_cert.der \
		$(HP_KEYS_OTHER)/signing_cert.der
	tests/fixtures/sign.sh unsign $(TOP)/tests/fixtures
	$(MAKE) -C $(KDIR) M=$(TOP)/tests/fixtures \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/kernel/Module.symvers modules
	tests/fixtures/sign.sh sign $(TOP)/tests/fixtures
	tests/fixtures/gen/gen.sh $(KDIR)

unit: tools
	$(MAKE) -C tests/unit check

vm: all test-tools
	tests/vm/run

# The Ansible module and the ring rollout playbook (packaging/ansible/)
# against a fake hotpatch CLI on five fake hosts of this machine
# (tests/ansible; no VM, no root). Debian's ansible-core runs on Debian's
# python3, hence /usr/bin/python3 whatever python3 is first on PATH.
.PHONY: ansible-check
ansible-check: $(DEPS_OK)
	cd tests/ansible && /usr/bin/python3 -m unittest -v test_module test_playbook

# Bounded fuzz runs of the builder and of the core's parsers (20 s each);
# `make fuzz` runs them for ten minutes each.
fuzz-check: $(DEPS_OK)
	$(MAKE) -C tests/fuzz check

fuzz: $(DEPS_OK)
	$(MAKE) -C tests/fuzz fuzz

# Every shell script of the project (scripts/shellcheck-all --list).
shellcheck: $(DEPS_OK)
	scripts/shellcheck-all

# Every project file a doc or comment names exists; nothing points outside.
.PHONY: check-refs
check-refs:
	scripts/check-refs

# fail_step and fail_teardown (fault injection) only in the core `make core`
# builds for the tests, not in the one the packages build
# (tests/tools/check-core-params.sh).
.PHONY: core-params-check
core-params-check: core
	tests/tools/check-core-params.sh $(KDIR)

# The source pipeline (`hotpatch-build build`) on Debian's linux-source of
# the test kernel: its refusals and failure paths (tests/realpatches/check.sh;
# the first run downloads the source and prepares a tree, cached).
.PHONY: build-check
build-check: all test-tools
	scripts/fetch-kernel.sh --source-tarball $(BUILD)/kernel.mk
	tests/realpatches/check.sh

# Vendor CI without booting the target: the real patches built again from
# the target's packages alone (the -dbg vmlinux and System.map; the first
# run downloads linux-image-<abi>-dbg, about 280 MB, and keeps two files of
# it) must equal the ones built from the booted kernel's facts.
.PHONY: facts-check
facts-check: realpatches
	tests/realpatches/facts-check.sh

# Cold and warm seconds of `hotpatch-build build` for a one-file fix, into
# docs/benchmarks.md (tests/bench/build.sh; not part of `make check`).
.PHONY: bench-build
bench-build: all
	scripts/fetch-kernel.sh --source-tarball $(BUILD)/kernel.mk
	tests/bench/build.sh

# The real patches: tests/realpatches/*.patch through `hotpatch-build build`
# into build/realpatches/hp_real_*.ko, signed with the test key (the t51NN and t52NN
# VM scenarios load them).
.PHONY: realpatches
realpatches: tools core fixtures
	tests/realpatches/build.sh

# The real-fix corpus: small single-file fixes between two Debian
# linux-source-6.1 versions built for the older one's kernel and loaded in
# the VM; writes docs/corpus.md (tests/corpus/run.sh; CORPUS_OLD, CORPUS_NEW,
# CORPUS_MAX, CORPUS_ARGS="--only PATTERN" ...). A benchmark, not in check.
.PHONY: corpus
corpus: tools
	tests/corpus/run.sh $(value CORPUS_ARGS)

# The stress scenarios (t3030 on 4 CPUs, t3420: 200 transitions of a
# patch of pipe_read() under load; both part of `make check`) again and
# again: STRESS_RUNS boots (default 5), each a fresh guest.
STRESS_RUNS ?= 5
stress: all test-tools
	@set -e; i=1; while [ $$i -le $(STRESS_RUNS) ]; do \
		echo "stress: run $$i of $(STRESS_RUNS)"; \
		tests/vm/run --out $(BUILD)/vm-stress -j 1 t3030 t3420; \
		i=$$((i + 1)); \
	done

# Is this QEMU's TCG good enough for the VM tests? The hotpatch-free
# reproducer of QEMU 7.2's bug (docs/consistency.md, "QEMU"); to see it
# fail on an old QEMU: make qemu-check HP_QEMU_ANY=1.
qemu-check: $(BUILD)/kernel.mk test-tools
	$(MAKE) -C $(KDIR) M=$(TOP)/tests/vm/qemu-check modules
	tests/vm/run --out $(BUILD)/vm-qemu-check \
		--add $(TOP)/tests/vm/qemu-check/hp_qemu_repro.ko:/lib/hotpatch/qemu-check/hp_qemu_repro.ko \
		tests/vm/qemu-check/t9000-qemu-repro.sh

demo: all test-tools
	tests/vm/demo

bench-modules: core $(HP_KEYS)/signing_cert.der
	tests/bench/gen.sh $(TOP)/tests/bench/gen
	tests/fixtures/sign.sh unsign $(TOP)/tests/bench
	$(MAKE) -C $(KDIR) M=$(TOP)/tests/bench \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/kernel/Module.symvers modules
	tests/fixtures/sign.sh sign $(TOP)/tests/bench

bench: all bench-modules
	tests/bench/run

checkpatch: $(BUILD)/kernel.mk
	scripts/checkpatch $(wildcard kernel/*.[chS] include/hotpatch/*.h \
		tests/fixtures/*.[chS] tests/bench/*.[chS] tests/vm/qemu-check/*.[chS])

clean:
	-$(MAKE) -C tools clean
	-$(MAKE) -C tests/unit clean
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(TOP)/kernel clean
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(TOP)/tests/fixtures clean
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(TOP)/tests/bench clean
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(TOP)/tests/vm/qemu-check clean
	rm -rf $(BUILD)
