# SPDX-License-Identifier: GPL-2.0
#
# make install [DESTDIR=...] [PREFIX=/usr/local]: the tools, their man pages
# and bash completion, the public headers, the systemd units (hotpatch.service;
# hotpatch-metrics.service and .timer for the node_exporter textfile), the DKMS source
# tree of the core, and the state directories. Included by the top Makefile.
# Nothing here needs the packaging tools; `make deb` does (`make deps
# DEPS_ARGS=--packaging` installs them).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DKMSDIR ?= $(PREFIX)/src
HP_LIBDIR ?= $(PREFIX)/lib/hotpatch
STATEDIR ?= /var/lib/hotpatch
SYSCONFDIR ?= /etc
HP_VERSION := $(shell sed -n 's/^\#define HOTPATCH_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	$(TOP)/include/hotpatch/version.h)
INSTALL ?= install

HP_CORE_SRCS := $(filter-out %.mod.c,$(wildcard $(TOP)/kernel/*.c $(TOP)/kernel/*.h \
	$(TOP)/kernel/*.S)) $(TOP)/kernel/Kbuild
HP_HEADERS := $(wildcard $(TOP)/include/hotpatch/*)

.PHONY: install install-tools install-dkms deb debian-check check-system

install: install-tools install-dkms

# INSTALL_NOBUILD=1: the tools are built already (debian/rules builds them
# with tools/Makefile alone, without scripts/deps.sh)
install-tools: $(if $(INSTALL_NOBUILD),,tools)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(INCLUDEDIR)/hotpatch $(DESTDIR)$(COMPLETIONDIR) \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(HP_LIBDIR) \
		$(DESTDIR)$(STATEDIR) $(DESTDIR)$(SYSCONFDIR)/hotpatch/keys.d
	$(INSTALL) -m 0755 $(BUILD)/bin/hotpatch $(DESTDIR)$(SBINDIR)/hotpatch
	$(INSTALL) -m 0755 $(BUILD)/bin/hotpatch-build \
		$(BUILD)/bin/hotpatch-sign $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0644 $(TOP)/docs/man/hotpatch.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 $(TOP)/docs/man/hotpatch-build.1 \
		$(TOP)/docs/man/hotpatch-sign.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 $(HP_HEADERS) $(DESTDIR)$(INCLUDEDIR)/hotpatch/
	$(INSTALL) -m 0644 $(TOP)/tools/cli/bash-completion/hotpatch \
		$(TOP)/tools/cli/bash-completion/hotpatch-build \
		$(TOP)/tools/cli/bash-completion/hotpatch-sign \
		$(DESTDIR)$(COMPLETIONDIR)/
	sed 's|@SBINDIR@|$(SBINDIR)|g' $(TOP)/packaging/hotpatch.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/hotpatch.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/hotpatch.service
	sed 's|@SBINDIR@|$(SBINDIR)|g' \
		$(TOP)/packaging/hotpatch-metrics.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/hotpatch-metrics.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/hotpatch-metrics.service
	$(INSTALL) -m 0644 $(TOP)/packaging/hotpatch-metrics.timer \
		$(DESTDIR)$(SYSTEMDUNITDIR)/
	# the core's symbol versions for hotpatch-build, when it was built
	if [ -f $(TOP)/kernel/Module.symvers ]; then \
		$(INSTALL) -m 0644 $(TOP)/kernel/Module.symvers \
			$(DESTDIR)$(HP_LIBDIR)/Module.symvers; fi

# The core's source as DKMS wants it: PREFIX/src/hotpatch-VERSION/
install-dkms:
	$(INSTALL) -d $(DESTDIR)$(DKMSDIR)/hotpatch-$(HP_VERSION)/kernel \
		$(DESTDIR)$(DKMSDIR)/hotpatch-$(HP_VERSION)/include/hotpatch
	$(INSTALL) -m 0644 $(HP_CORE_SRCS) \
		$(DESTDIR)$(DKMSDIR)/hotpatch-$(HP_VERSION)/kernel/
	$(INSTALL) -m 0644 $(HP_HEADERS) \
		$(DESTDIR)$(DKMSDIR)/hotpatch-$(HP_VERSION)/include/hotpatch/
	$(INSTALL) -m 0755 $(TOP)/packaging/dkms-build.sh \
		$(DESTDIR)$(DKMSDIR)/hotpatch-$(HP_VERSION)/dkms-build.sh
	sed 's|@VERSION@|$(HP_VERSION)|g' $(TOP)/packaging/dkms.conf.in \
		>$(DESTDIR)$(DKMSDIR)/hotpatch-$(HP_VERSION)/dkms.conf
	chmod 0644 $(DESTDIR)$(DKMSDIR)/hotpatch-$(HP_VERSION)/dkms.conf

# The Debian packages (hotpatch, hotpatch-build, hotpatch-dkms) in build/deb/.
deb:
	scripts/deps.sh --check --packaging
	$(TOP)/packaging/make-deb.sh $(BUILD)/deb

# A Debian bookworm guest that boots systemd (tests/vm/debian/).
debian-check: deb
	$(TOP)/tests/vm/debian/run.sh $(BUILD)/deb

# The Ansible ring rollout (packaging/ansible/rollout.yml) run from the host
# against two such guests over SSH (tests/vm/debian/fleet.sh).
check-system: deb
	$(TOP)/tests/vm/debian/fleet.sh $(BUILD)/deb
