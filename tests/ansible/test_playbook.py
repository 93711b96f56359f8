#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The ring rollout playbook (packaging/ansible/rollout.yml) on fake hosts.

Five inventory hosts, all on this machine (connection local), each with its
own tests/ansible/fake-hotpatch state (test_module.Host): rings h1 | h2 |
h3 h4 h5 (serial 1, 10%, 100%). ansible-playbook runs with the hp_json
stdout callback (callback_plugins/), read with a JSON parser: per-host
stats and task results. No VM:
`make ansible-check`; make check-system runs the same playbook against two
Debian guests.
"""

import json
import os
import subprocess
import tempfile
import unittest

from test_module import HERE, Host, TOP

PLAYBOOK = os.path.join(TOP, "packaging", "ansible", "rollout.yml")
HOSTS = ["h1", "h2", "h3", "h4", "h5"]


class PlaybookTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="hp-playbook.")
        self.tmp = self._tmp.name
        self.hosts = {}
        inv = {}
        for n in HOSTS:
            d = os.path.join(self.tmp, n)
            os.makedirs(d)
            h = self.hosts[n] = Host(d)
            inv[n] = {
                "ansible_connection": "local",
                "ansible_python_interpreter": "/usr/bin/python3",
                "ansible_become": False,
                "hotpatch_dest": os.path.join(d, "incoming"),
                "hotpatch_environment": {
                    "PATH": h.bin + ":/usr/bin:/bin",
                    "FAKE_HOTPATCH_STATE": h.state,
                    "FAKE_HOTPATCH_LOG": h.log,
                    "HOTPATCH_STATE_DIR": h.sdir,
                    "HOTPATCH_RUN_DIR": h.rdir,
                    "HOTPATCH_KEYS_DIR": h.keys,
                },
            }
            open(os.path.join(h.keys, "vendor-good.der"), "w").close()
        self.inventory = os.path.join(self.tmp, "inventory.json")
        with open(self.inventory, "w") as f:
            json.dump({"all": {"children": {"hotpatch": {"hosts": inv}}}}, f)
        self.src = self.hosts["h1"].patch_file("hp_fix", b"patch module v1")

    def tearDown(self):
        self._tmp.cleanup()

    def play(self, *extra):
        env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="hp_json",
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE,
                                                         "callback_plugins"),
                   ANSIBLE_LOCAL_TEMP=os.path.join(self.tmp, "ansible-local"),
                   ANSIBLE_REMOTE_TEMP=os.path.join(self.tmp, "ansible-remote"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_PIPELINING="1", ANSIBLE_RETRY_FILES_ENABLED="0",
                   ANSIBLE_HOST_KEY_CHECKING="0")
        p = subprocess.run(["ansible-playbook", "-i", self.inventory,
                            PLAYBOOK, "-e", "hotpatch_file=" + self.src] +
                           list(extra), env=env, capture_output=True,
                           text=True, timeout=600)
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            raise AssertionError("ansible-playbook printed no JSON: rc %d\n"
                                 "%s\n%s" % (p.returncode, p.stdout[-3000:],
                                             p.stderr[-3000:]))
        return p.returncode, doc

    def fail_load_on(self, name):
        h = self.hosts[name]
        st = h.get()
        st["fail"]["load hp_fix"] = {"rc": 2, "doc": {
            "error": "cannot load patch 'hp_fix'", "errno": 16,
            "errno_name": "EBUSY",
            "reason": "'cmdline_proc_show' is used by a kprobe"}}
        h.put(st)

    def messages(self, doc):
        """Every failure message of the play, host: message."""
        out = []
        for play in doc["plays"]:
            for task in play["tasks"]:
                for host, r in task["hosts"].items():
                    if r.get("failed") and "msg" in r:
                        out.append("%s: %s" % (host, r["msg"]))
        return out

    def test_rollout_ring_by_ring_then_again_unchanged_then_absent(self):
        rc, doc = self.play()
        self.assertEqual(rc, 0, self.messages(doc))
        # one play entry per batch: 1 host, 10% (1 host), the rest; the
        # hosts of a batch are listed as their results come in, in any order
        self.assertEqual([sorted(p["hosts"]) for p in doc["plays"]],
                         [["h1"], ["h2"], ["h3", "h4", "h5"]])
        for n in HOSTS:
            self.assertTrue(self.hosts[n].applied(), n)
            self.assertTrue(self.hosts[n].installed(), n)
            self.assertGreater(doc["stats"][n]["changed"], 0, n)
            self.assertEqual(doc["stats"][n]["failures"], 0, n)
        rc, doc = self.play()
        self.assertEqual(rc, 0, self.messages(doc))
        for n in HOSTS:
            self.assertEqual(doc["stats"][n]["changed"], 0, n)
            self.assertTrue(self.hosts[n].applied(), n)
        rc, doc = self.play("-e", "hotpatch_state=absent")
        self.assertEqual(rc, 0, self.messages(doc))
        for n in HOSTS:
            self.assertFalse(self.hosts[n].applied(), n)
            self.assertFalse(self.hosts[n].installed(), n)

    def test_a_failing_host_reverts_its_ring_and_stops_the_rollout(self):
        self.fail_load_on("h4")
        rc, doc = self.play()
        self.assertNotEqual(rc, 0)
        for n in ("h1", "h2"):
            self.assertTrue(self.hosts[n].applied(), n)
        for n in ("h3", "h4", "h5"):
            self.assertFalse(self.hosts[n].applied(), n)
            self.assertFalse(self.hosts[n].installed(), n)
        # h3 and h5 had applied it: the ring's revert unloaded it
        for n in ("h3", "h5"):
            verbs = [c[1] for c in self.hosts[n].changing_calls()]
            self.assertEqual(verbs, ["install", "load", "unload",
                                     "uninstall"], n)
        msgs = "\n".join(self.messages(doc))
        self.assertIn("ring of h3, h4, h5 reverted", msgs)
        self.assertIn("h4: installed and applied: hotpatch load failed "
                      "(exit 2): cannot load patch 'hp_fix' (EBUSY)", msgs)

    def test_a_failing_first_ring_touches_no_other_host(self):
        self.fail_load_on("h1")
        rc, doc = self.play()
        self.assertNotEqual(rc, 0)
        self.assertFalse(self.hosts["h1"].installed())
        for n in HOSTS[1:]:
            self.assertEqual(self.hosts[n].calls(), [], n)
            self.assertNotIn(n, doc["stats"])

    def test_the_gate_fails_a_host_whose_check_fails(self):
        # another installed patch of h2 is not applied: check exits 8
        h = self.hosts["h2"]
        other = h.patch_file("hp_other", b"another patch")
        os.makedirs(os.path.join(h.sdir, "6.1.0-test"), exist_ok=True)
        with open(other, "rb") as f, open(os.path.join(
                h.sdir, "6.1.0-test", "hp_other.ko"), "wb") as g:
            g.write(f.read())
        st = h.get()
        st["fail"]["check"] = {"rc": 8, "doc": {
            "ok": False, "installed": 2, "not_applied": 1, "patches": []}}
        h.put(st)
        rc, doc = self.play()
        self.assertNotEqual(rc, 0)
        self.assertTrue(self.hosts["h1"].applied())
        self.assertFalse(h.applied())
        self.assertFalse(h.installed())
        self.assertIn("h2: gate - hotpatch check", "\n".join(
            self.messages(doc)))
        for n in HOSTS[2:]:
            self.assertEqual(self.hosts[n].calls(), [], n)

    def test_check_mode_changes_nothing(self):
        rc, doc = self.play("--check")
        self.assertEqual(rc, 0, self.messages(doc))
        for n in HOSTS:
            self.assertFalse(self.hosts[n].installed(), n)
            self.assertGreater(doc["stats"][n]["changed"], 0, n)
            self.assertEqual(self.hosts[n].changing_calls(), [], n)


if __name__ == "__main__":
    unittest.main(verbosity=2)
