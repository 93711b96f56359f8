#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Ansible module: a hotpatch live patch on a host, through the hotpatch CLI.

Every step runs `hotpatch --json ...` on the managed host and reads its JSON
(hotpatch(8), "JSON OUTPUT"): the CLI's own `changed` decides `changed`, and
its error object (error, errno_name, reason, hint) becomes the failure
message. In check mode nothing is run that changes the host: the module
reads `hotpatch status --json` and compares file hashes to say what would
change.
"""

DOCUMENTATION = r"""
---
module: hotpatch
short_description: Install, apply, revert and remove hotpatch live patches
description:
  - Drives the hotpatch CLI (C(hotpatch --json)) on the managed host.
  - C(state=verified) runs C(hotpatch verify); never changes anything.
  - C(state=present) installs the patch file (C(hotpatch install), which
    verifies it first) so that C(hotpatch.service) applies it at boot; it
    does not load it.
  - C(state=applied) installs it and applies it now (C(hotpatch load NAME));
    a loaded but reverted patch is applied again (C(hotpatch enable)).
  - C(state=absent) reverts and unloads it when loaded (C(hotpatch unload))
    and uninstalls it when installed (C(hotpatch uninstall)).
  - Idempotent; supports check mode.
options:
  name:
    description: The patch (module) name; derived from I(src) when omitted.
    type: str
  src:
    description: Path of the patch module on the managed host. Required for
      C(verified) and C(present); for C(applied) when the patch is not
      installed yet.
    type: path
  state:
    description: What the patch should be.
    choices: [verified, present, applied, absent]
    default: applied
    type: str
  cert:
    description: Certificate (DER or PEM) on the managed host to verify
      with; default every file of C(/etc/hotpatch/keys.d/)
      (C(HOTPATCH_KEYS_DIR)).
    type: path
  timeout:
    description: C(--timeout) of load, unload and enable (seconds, or with
      a unit C(ms), C(s), C(m)).
    type: str
  retry:
    description: C(--retry N) of load, unload and enable (transitions that
      timed out).
    type: int
  retry_delay:
    description: C(--retry-delay) of load, unload and enable.
    type: str
  executable:
    description: The hotpatch CLI.
    default: hotpatch
    type: str
"""

EXAMPLES = r"""
- name: the fix, applied now and at every boot
  hotpatch:
    src: /var/tmp/hp_fix_cve.ko
    state: applied
    retry: 3

- name: reverted and removed
  hotpatch:
    name: hp_fix_cve
    state: absent
"""

RETURN = r"""
name:
  description: The patch name.
  type: str
  returned: always
steps:
  description: Each CLI command the module ran (or would run, in check
    mode), with its exit code and JSON document.
  type: list
  returned: always
patch:
  description: The patch as C(hotpatch status --json) lists it after the
    change (null when neither loaded nor installed).
  type: dict
  returned: always
checks:
  description: For C(verified), the checks of C(hotpatch verify --json).
  type: list
  returned: when state is verified
"""

import glob
import hashlib
import json
import os

from ansible.module_utils.basic import AnsibleModule


class Hotpatch:
    """The CLI on the managed host."""

    def __init__(self, module):
        self.m = module
        self.p = module.params
        self.steps = []
        self.last = None    # the document of the last change()
        self.changed = False    # by any change() so far
        exe = self.p["executable"]
        self.exe = module.get_bin_path(exe, required=False, opt_dirs=[
            "/usr/sbin", "/usr/local/sbin", "/sbin"]) or exe
        if not os.path.isfile(self.exe):
            module.fail_json(msg="the hotpatch CLI '%s' is not installed "
                             "on this host: install the hotpatch package "
                             "(or set executable:)" % exe, steps=[])

    def run(self, args, record=True):
        """Run hotpatch --json ARGS; return (rc, document, stderr)."""
        cmd = [self.exe, "--json"] + args
        rc, out, err = self.m.run_command(cmd)
        try:
            doc = json.loads(out) if out.strip() else None
        except ValueError:
            doc = None
            self.fail(args, rc, None, err,
                      "printed no JSON document: %r" % out[:200])
        if record:
            self.steps.append({"cmd": cmd, "rc": rc, "result": doc})
        return rc, doc, err

    def fail(self, args, rc, doc, err, what=None, **extra):
        msg = "hotpatch %s failed (exit %d)" % (args[0], rc)
        if what:
            msg += ": " + what
        elif isinstance(doc, dict) and doc.get("error"):
            msg += ": " + doc["error"]
            if doc.get("errno_name"):
                msg += " (%s)" % doc["errno_name"]
            if doc.get("reason"):
                msg += "; the core says: " + doc["reason"]
            if doc.get("hint"):
                msg += "; " + doc["hint"]
        elif err.strip():
            msg += ": " + err.strip().splitlines()[-1]
        # what an earlier step changed stays changed (an install before a
        # refused load)
        res = dict(msg=msg, rc=rc, name=self.p.get("name"), steps=self.steps,
                   stderr=err, changed=self.changed)
        if isinstance(doc, dict):
            for k in ("errno", "errno_name", "reason", "hint", "blocking"):
                if k in doc:
                    res[k] = doc[k]
        res.update(extra)
        self.m.fail_json(**res)

    def status(self):
        """The patches of `status --json` by name, and the host."""
        rc, doc, err = self.run(["status"], record=False)
        # exit 4 without the core: host, summary and the installed
        # patches are still there
        if rc not in (0, 4) or not isinstance(doc, dict) or \
                "patches" not in doc:
            self.fail(["status"], rc, doc, err)
        return {p["name"]: p for p in doc.get("patches") or []
                if isinstance(p, dict) and "name" in p}, doc.get("host", {})

    def transition_args(self):
        a = []
        if self.p["timeout"] is not None:
            a += ["--timeout", self.p["timeout"]]
        if self.p["retry"] is not None:
            a += ["--retry", str(self.p["retry"])]
        if self.p["retry_delay"] is not None:
            a += ["--retry-delay", self.p["retry_delay"]]
        return a

    def change(self, args, changed_key="changed"):
        """Run a command that changes the host; True when it did."""
        if self.m.check_mode:
            self.steps.append({"cmd": [self.exe, "--json"] + args,
                               "rc": None, "result": None,
                               "check_mode": True})
            self.changed = True
            return True
        rc, doc, err = self.run(args)
        if rc != 0:
            self.fail(args, rc, doc, err)
        if not isinstance(doc, dict):
            self.fail(args, rc, doc, err, "printed no JSON object")
        self.last = doc
        did = changed_key is None or bool(doc.get(changed_key, True))
        self.changed |= did
        return did


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def module_name(m, src):
    """The module name of a .ko, as hotpatch names the patch."""
    modinfo = m.get_bin_path("modinfo", opt_dirs=["/usr/sbin", "/sbin"])
    if modinfo and os.path.isfile(src):
        rc, out, _ = m.run_command([modinfo, "-F", "name", src])
        if rc == 0 and out.strip():
            return out.strip()
    base = os.path.basename(src)
    if base.endswith(".ko"):
        base = base[:-3]
    return base.replace("-", "_")


def state_dir():
    return os.environ.get("HOTPATCH_STATE_DIR", "/var/lib/hotpatch")


def run_dir():
    return os.environ.get("HOTPATCH_RUN_DIR", "/run/hotpatch")


def installed_same(name, src):
    """An identical file is installed as NAME, for whichever kernel."""
    want = sha256(src)
    return any(sha256(f) == want for f in
               glob.glob(os.path.join(state_dir(), "*", name + ".ko")))


def loaded_from(name):
    """The sha256 of the file loaded as NAME since this boot, or None."""
    try:
        with open(os.path.join(run_dir(), name + ".sha256")) as f:
            return f.read(64)
    except OSError:
        return None


def certs(p):
    if p["cert"]:
        return [p["cert"]]
    d = os.environ.get("HOTPATCH_KEYS_DIR", "/etc/hotpatch/keys.d")
    return sorted(f for f in glob.glob(os.path.join(d, "*"))
                  if os.path.isfile(f))


def do_verified(hp, name, src):
    """Pass with any certificate; fail listing every failed check."""
    cs = certs(hp.p)
    if not cs:
        hp.m.fail_json(msg="no certificate to verify '%s' with: give cert:, "
                       "or put the vendor's certificate in "
                       "/etc/hotpatch/keys.d/" % src, name=name, steps=[])
    failed = []
    for c in cs:
        args = ["verify", "--cert", c, src]
        rc, doc, err = hp.run(args)
        if rc == 0 and isinstance(doc, dict) and doc.get("ok"):
            return dict(changed=False, checks=doc.get("checks", []),
                        verified_with=c)
        if rc != 7 or not isinstance(doc, dict) or "checks" not in doc:
            hp.fail(args, rc, doc, err)
        failed = [ch for ch in doc["checks"] if ch.get("status") == "fail"]
    hp.fail(["verify", src], 7, None, "",
            "'%s' does not pass verification with %s: %s" % (
                src, cs[0] if len(cs) == 1 else "any of %d certificates" %
                len(cs), "; ".join("%s: %s" % (ch.get("check"),
                                               ch.get("detail"))
                                   for ch in failed)),
            checks=failed)


def install_args(hp, src):
    a = ["install"]
    if hp.p["cert"]:
        a += ["--cert", hp.p["cert"]]
    return a + [src]


# DOCUMENTATION's options say the same (tests/ansible/test_module.py)
ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    src=dict(type="path"),
    state=dict(type="str", default="applied",
               choices=["verified", "present", "applied", "absent"]),
    cert=dict(type="path"),
    timeout=dict(type="str"),
    retry=dict(type="int"),
    retry_delay=dict(type="str"),
    executable=dict(type="str", default="hotpatch"),
)


def main():
    m = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        required_one_of=[("name", "src")],
        required_if=[("state", "verified", ("src",)),
                     ("state", "present", ("src",))],
        supports_check_mode=True,
    )
    p = m.params
    src = p["src"]
    if src and not os.path.isfile(src):
        if not m.check_mode:
            m.fail_json(msg="src '%s' is not a file on this host: copy the "
                        "patch module there first" % src, steps=[])
        # check mode: the task that copies it did not copy it either
        if p["state"] != "absent":
            m.exit_json(changed=p["state"] != "verified", steps=[],
                        name=p["name"] or module_name(m, src), patch=None,
                        msg="src '%s' is not on this host yet (check mode)" %
                        src)
    name = p["name"] or module_name(m, src)
    p["name"] = name
    hp = Hotpatch(m)

    if p["state"] == "verified":
        res = do_verified(hp, name, src)
        m.exit_json(name=name, steps=hp.steps, patch=None, **res)

    patches, _ = hp.status()
    cur = patches.get(name)
    loaded = cur is not None and cur.get("state") != "not-loaded"
    installed = cur is not None and bool(cur.get("installed"))
    changed = False

    if p["state"] == "applied" and loaded and src and \
            loaded_from(name) != sha256(src):
        # before anything is installed: nothing changes on a refusal
        m.fail_json(msg="patch '%s' is loaded from another file than "
                    "'%s': revert it first (state: absent), then apply "
                    "this one" % (name, src), name=name, steps=hp.steps)
    if p["state"] in ("present", "applied") and src:
        if not installed_same(name, src):
            changed |= hp.change(install_args(hp, src))
            doc = hp.last or {}
            if p["state"] == "applied" and \
                    doc.get("running_kernel") is False:
                m.fail_json(msg="'%s' is for kernel %s, not the running "
                            "one: installed for that kernel (applied at "
                            "its boot), not applied now; state: present "
                            "installs without applying" %
                            (src, doc.get("release")), name=name,
                            changed=True, steps=hp.steps)
            installed = True
    if p["state"] == "applied":
        if not installed and not loaded:
            m.fail_json(msg="patch '%s' is not installed for the running "
                        "kernel: give src: (the patch module file)" % name,
                        name=name, steps=hp.steps)
        if loaded and cur.get("state") == "applied":
            pass
        elif loaded:
            # loaded from this file but reverted (or never applied)
            changed |= hp.change(["enable"] + hp.transition_args() + [name])
        else:
            # not loaded: the installed file (this clears its boot marker)
            changed |= hp.change(["load"] + hp.transition_args() + [name])
    elif p["state"] == "absent":
        if loaded:
            changed |= hp.change(["unload"] + hp.transition_args() + [name],
                                 changed_key=None)
        if installed:
            changed |= hp.change(["uninstall", name], changed_key=None)

    after = hp.status()[0].get(name) if changed and not m.check_mode \
        else cur
    m.exit_json(changed=changed, name=name, steps=hp.steps, patch=after)


if __name__ == "__main__":
    main()
