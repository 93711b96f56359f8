#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the Ansible module packaging/ansible/library/hotpatch.py.

The module runs as Ansible runs it (a Python process reading its arguments
from a JSON file) against tests/ansible/fake-hotpatch on PATH, which keeps
a fake host's state: idempotence (a second run changes nothing and runs no
changing command), check mode (says what would change, changes nothing),
and the failure paths (the CLI's JSON error as the message). No VM, no
root: `make ansible-check`, part of `make check`.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
MODULE = os.path.join(TOP, "packaging", "ansible", "library", "hotpatch.py")
PYTHON = os.environ.get("ANSIBLE_PYTHON", "/usr/bin/python3")
REL = "6.1.0-test"
CHANGING = ("install", "load", "enable", "unload", "uninstall")


class Host:
    """A fake host: state file, state and run directories, the CLI."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.bin = os.path.join(tmp, "bin")
        os.makedirs(self.bin)
        shutil.copy(os.path.join(HERE, "fake-hotpatch"),
                    os.path.join(self.bin, "hotpatch"))
        self.state = os.path.join(tmp, "state.json")
        self.log = os.path.join(tmp, "calls.log")
        self.sdir = os.path.join(tmp, "var-lib")
        self.rdir = os.path.join(tmp, "run")
        self.keys = os.path.join(tmp, "keys.d")
        os.makedirs(self.keys)
        self.put({"release": REL, "core": True, "loaded": {}, "fail": {}})
        self.src = self.patch_file("hp_fix", b"patch module v1")

    def patch_file(self, name, data):
        path = os.path.join(self.tmp, name + ".ko")
        with open(path, "wb") as f:
            f.write(data)
        return path

    def put(self, st):
        with open(self.state, "w") as f:
            json.dump(st, f)

    def get(self):
        with open(self.state) as f:
            return json.load(f)

    def calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [line.split() for line in f.read().splitlines()]

    def changing_calls(self):
        return [c for c in self.calls()
                if [a for a in c if not a.startswith("-")][0] in CHANGING]

    def run(self, check=False, with_cli=True, **args):
        """Run the module; its result document."""
        argsfile = os.path.join(self.tmp, "args.json")
        margs = dict(args)
        margs["_ansible_check_mode"] = check
        with open(argsfile, "w") as f:
            json.dump({"ANSIBLE_MODULE_ARGS": margs}, f)
        env = dict(os.environ,
                   PATH=(self.bin + ":" if with_cli else "") +
                   "/usr/bin:/bin",
                   FAKE_HOTPATCH_STATE=self.state,
                   FAKE_HOTPATCH_LOG=self.log,
                   HOTPATCH_STATE_DIR=self.sdir,
                   HOTPATCH_RUN_DIR=self.rdir,
                   HOTPATCH_KEYS_DIR=self.keys)
        p = subprocess.run([PYTHON, MODULE, argsfile], env=env,
                           capture_output=True, text=True, timeout=60)
        try:
            return json.loads(p.stdout)
        except ValueError:
            raise AssertionError("module printed no JSON: rc %d\n%s\n%s" %
                                 (p.returncode, p.stdout, p.stderr))

    def installed(self, name="hp_fix"):
        return os.path.isfile(os.path.join(self.sdir, REL, name + ".ko"))

    def applied(self, name="hp_fix"):
        lo = self.get()["loaded"].get(name)
        return lo is not None and lo["state"] == "applied"


class DocTest(unittest.TestCase):
    def test_documentation_options_are_the_argument_spec(self):
        import importlib.util
        import yaml
        spec = importlib.util.spec_from_file_location("hp_module", MODULE)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        doc = yaml.safe_load(mod.DOCUMENTATION)["options"]
        self.assertEqual(sorted(doc), sorted(mod.ARGUMENT_SPEC))
        for name, a in mod.ARGUMENT_SPEC.items():
            self.assertEqual(doc[name]["type"], a["type"], name)
            self.assertEqual(doc[name].get("default"), a.get("default"),
                             name)
            self.assertEqual(doc[name].get("choices"), a.get("choices"),
                             name)


class ModuleTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="hp-ansible.")
        self.h = Host(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def ok(self, r, changed):
        self.assertFalse(r.get("failed"), r.get("msg"))
        self.assertIs(r["changed"], changed, r)

    def failed(self, r, *words):
        self.assertTrue(r.get("failed"), r)
        for w in words:
            self.assertIn(w, r["msg"])

    # ---- applied ----
    def test_applied_installs_then_loads_and_says_changed(self):
        r = self.h.run(src=self.h.src, state="applied")
        self.ok(r, True)
        self.assertEqual(r["name"], "hp_fix")
        self.assertTrue(self.h.installed())
        self.assertTrue(self.h.applied())
        self.assertEqual([c[1] for c in self.h.changing_calls()],
                         ["install", "load"])
        self.assertEqual(r["patch"]["state"], "applied")

    def test_applied_twice_is_unchanged_and_runs_nothing_that_changes(self):
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        n = len(self.h.changing_calls())
        r = self.h.run(src=self.h.src, state="applied")
        self.ok(r, False)
        self.assertEqual(len(self.h.changing_calls()), n)
        self.assertEqual(r["patch"]["state"], "applied")

    def test_applied_by_name_loads_the_installed_patch(self):
        self.ok(self.h.run(src=self.h.src, state="present"), True)
        r = self.h.run(name="hp_fix", state="applied")
        self.ok(r, True)
        self.assertTrue(self.h.applied())
        self.assertEqual(self.h.changing_calls()[-1][1:], ["load", "hp_fix"])

    def test_applied_passes_timeout_and_retry_to_load(self):
        self.ok(self.h.run(src=self.h.src, state="applied", timeout="60",
                           retry=3, retry_delay="2s"), True)
        self.assertEqual(self.h.changing_calls()[-1],
                         ["--json", "load", "--timeout", "60", "--retry",
                          "3", "--retry-delay", "2s", "hp_fix"])

    def test_applied_enables_a_loaded_reverted_patch(self):
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        st = self.h.get()
        st["loaded"]["hp_fix"] = {"state": "reverted", "enabled": False}
        self.h.put(st)
        r = self.h.run(src=self.h.src, state="applied")
        self.ok(r, True)
        self.assertEqual(self.h.changing_calls()[-1][1], "enable")
        self.assertTrue(self.h.applied())

    def test_applied_a_newer_file_refuses_the_swap_and_changes_nothing(self):
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        n = len(self.h.changing_calls())
        v2 = self.h.patch_file("hp_fix_v2", b"patch module v2")
        r = self.h.run(name="hp_fix", src=v2, state="applied")
        self.failed(r, "patch 'hp_fix' is loaded from another file",
                    "revert it first (state: absent), then apply")
        self.assertEqual(len(self.h.changing_calls()), n)
        with open(os.path.join(self.h.sdir, REL, "hp_fix.ko"), "rb") as f:
            self.assertEqual(f.read(), b"patch module v1")

    def test_applied_for_another_kernel_installs_and_fails_saying_so(self):
        st = self.h.get()
        st["file_release"] = {"hp_fix": "6.12.0-other"}
        self.h.put(st)
        r = self.h.run(src=self.h.src, state="applied")
        self.failed(r, "is for kernel 6.12.0-other, not the running one",
                    "state: present")
        self.assertTrue(r["changed"])
        self.assertEqual([c[1] for c in self.h.changing_calls()],
                         ["install"])
        self.assertFalse(self.h.applied())

    def test_applied_without_src_and_not_installed_fails_saying_what(self):
        r = self.h.run(name="hp_fix", state="applied")
        self.failed(r, "not installed for the running kernel",
                    "give src:")
        self.assertEqual(self.h.changing_calls(), [])

    def test_applied_without_the_core_loaded(self):
        st = self.h.get()
        st["core"] = False
        self.h.put(st)
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        self.assertTrue(self.h.applied())

    # ---- check mode ----
    def test_check_mode_applied_says_changed_and_changes_nothing(self):
        r = self.h.run(check=True, src=self.h.src, state="applied")
        self.ok(r, True)
        self.assertEqual(self.h.changing_calls(), [])
        self.assertFalse(self.h.installed())
        self.assertFalse(self.h.applied())
        self.assertEqual([s["cmd"][2] for s in r["steps"]],
                         ["install", "load"])

    def test_check_mode_applied_on_an_applied_patch_is_unchanged(self):
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        r = self.h.run(check=True, src=self.h.src, state="applied")
        self.ok(r, False)
        self.assertEqual(r["steps"], [])

    def test_check_mode_present_installed_elsewhere_is_unchanged(self):
        st = self.h.get()
        st["file_release"] = {"hp_fix": "6.12.0-other"}
        self.h.put(st)
        self.ok(self.h.run(src=self.h.src, state="present"), True)
        self.ok(self.h.run(check=True, src=self.h.src, state="present"),
                False)

    def test_check_mode_absent_says_changed_and_changes_nothing(self):
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        n = len(self.h.changing_calls())
        r = self.h.run(check=True, name="hp_fix", state="absent")
        self.ok(r, True)
        self.assertEqual(len(self.h.changing_calls()), n)
        self.assertTrue(self.h.applied())
        self.assertTrue(self.h.installed())

    def test_check_mode_src_not_copied_yet_says_changed(self):
        r = self.h.run(check=True, src="/nonexistent/hp_fix.ko",
                       state="applied")
        self.ok(r, True)
        self.assertEqual(r["name"], "hp_fix")
        self.assertIn("not on this host yet", r["msg"])
        self.assertEqual(self.h.calls(), [])

    # ---- present ----
    def test_present_installs_without_loading(self):
        self.ok(self.h.run(src=self.h.src, state="present"), True)
        self.assertTrue(self.h.installed())
        self.assertFalse(self.h.applied())
        self.ok(self.h.run(src=self.h.src, state="present"), False)
        self.assertEqual([c[1] for c in self.h.changing_calls()],
                         ["install"])

    def test_present_passes_the_certificate(self):
        cert = os.path.join(self.h.tmp, "good.der")
        self.ok(self.h.run(src=self.h.src, state="present", cert=cert), True)
        self.assertEqual(self.h.changing_calls()[0][1:],
                         ["install", "--cert", cert, self.h.src])

    # ---- absent ----
    def test_absent_unloads_and_uninstalls_then_is_unchanged(self):
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        r = self.h.run(name="hp_fix", state="absent")
        self.ok(r, True)
        self.assertFalse(self.h.installed())
        self.assertFalse(self.h.applied())
        self.assertEqual([c[1] for c in self.h.changing_calls()][-2:],
                         ["unload", "uninstall"])
        self.assertIsNone(r["patch"])
        n = len(self.h.changing_calls())
        self.ok(self.h.run(name="hp_fix", state="absent"), False)
        self.assertEqual(len(self.h.changing_calls()), n)

    def test_absent_name_from_src(self):
        self.ok(self.h.run(src=self.h.src, state="present"), True)
        self.ok(self.h.run(src=self.h.src, state="absent"), True)
        self.assertFalse(self.h.installed())

    # ---- verified ----
    def test_verified_passes_with_a_good_certificate_of_keys_d(self):
        for n in ("a-other.der", "b-good.der"):
            open(os.path.join(self.h.keys, n), "w").close()
        r = self.h.run(src=self.h.src, state="verified")
        self.ok(r, False)
        self.assertTrue(r["verified_with"].endswith("b-good.der"))
        self.assertEqual(self.h.changing_calls(), [])

    def test_verified_fails_listing_the_failed_checks(self):
        cert = os.path.join(self.h.tmp, "other.der")
        r = self.h.run(src=self.h.src, state="verified", cert=cert)
        self.failed(r, "does not pass verification with " + cert,
                    "manifest signature: no signature by this certificate")
        self.assertEqual(r["checks"][0]["status"], "fail")

    def test_verified_without_any_certificate_says_where_to_put_one(self):
        r = self.h.run(src=self.h.src, state="verified")
        self.failed(r, "no certificate", "/etc/hotpatch/keys.d/")

    # ---- failures from the CLI ----
    def test_load_refused_fails_with_the_cli_error_reason_and_hint(self):
        st = self.h.get()
        st["fail"]["load hp_fix"] = {"rc": 2, "doc": {
            "error": "cannot load patch 'hp_fix'", "errno": 16,
            "errno_name": "EBUSY",
            "reason": "'cmdline_proc_show' is already patched by 'hp_old'",
            "hint": "revert the other live patch first"}}
        self.h.put(st)
        r = self.h.run(src=self.h.src, state="applied")
        self.failed(r, "hotpatch load failed (exit 2)",
                    "cannot load patch 'hp_fix' (EBUSY)",
                    "the core says: 'cmdline_proc_show' is already patched",
                    "revert the other live patch first")
        self.assertEqual(r["rc"], 2)
        self.assertEqual(r["errno_name"], "EBUSY")
        # the install before it did change the host
        self.assertIs(r["changed"], True)
        self.assertEqual([s["cmd"][2] for s in r["steps"]],
                         ["install", "load"])

    def test_install_refused_fails_and_loads_nothing(self):
        st = self.h.get()
        st["fail"]["install " + self.h.src] = {"rc": 7, "doc": {
            "error": "'x.ko' does not pass verification: not installed",
            "errno": 0, "errno_name": "",
            "hint": "'hotpatch verify --cert CERT FILE.ko' lists every check"}}
        self.h.put(st)
        r = self.h.run(src=self.h.src, state="applied")
        self.failed(r, "hotpatch install failed (exit 7)",
                    "does not pass verification", "hotpatch verify --cert")
        self.assertEqual([c[1] for c in self.h.changing_calls()],
                         ["install"])
        self.assertFalse(self.h.applied())

    def test_unload_timeout_fails_with_exit_5_and_the_blocking_tasks(self):
        self.ok(self.h.run(src=self.h.src, state="applied"), True)
        st = self.h.get()
        st["fail"]["unload hp_fix"] = {"rc": 5, "doc": {
            "error": "cannot revert patch 'hp_fix'", "errno": 110,
            "errno_name": "ETIMEDOUT",
            "blocking": [{"pid": 42, "comm": "cat",
                          "function": "cmdline_proc_show"}]}}
        self.h.put(st)
        r = self.h.run(name="hp_fix", state="absent", retry=2)
        self.failed(r, "hotpatch unload failed (exit 5)", "ETIMEDOUT")
        self.assertEqual(r["blocking"][0]["pid"], 42)
        self.assertTrue(self.h.installed())

    def test_status_error_fails(self):
        st = self.h.get()
        st["fail"]["status"] = {"rc": 6, "doc": {
            "error": "cannot read /sys/kernel/hotpatch/patches",
            "errno": 5, "errno_name": "EIO"}}
        self.h.put(st)
        r = self.h.run(name="hp_fix", state="absent")
        self.failed(r, "hotpatch status failed (exit 6)", "EIO")

    def test_no_cli_on_the_host_fails_saying_what_to_install(self):
        r = self.h.run(with_cli=False, src=self.h.src, state="applied")
        self.failed(r, "is not installed on this host",
                    "install the hotpatch package")

    def test_src_missing_fails(self):
        r = self.h.run(src="/nonexistent/hp_fix.ko", state="applied")
        self.failed(r, "is not a file on this host")

    def test_name_or_src_required(self):
        r = self.h.run(state="absent")
        self.failed(r, "name", "src")


if __name__ == "__main__":
    unittest.main(verbosity=int(os.environ.get("V", "1")) + 1
                  if len(sys.argv) == 1 else 1)
