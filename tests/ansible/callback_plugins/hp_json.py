# SPDX-License-Identifier: GPL-2.0
"""Ansible stdout callback for the tests: the whole run as one JSON document.

ansible-core ships no JSON callback (community.general has one); the tests
read the play with a JSON parser, so this prints, at the end:
{"plays": [{"play": {"name"}, "hosts": [...], "tasks": [{"task": {"name"},
"hosts": {HOST: RESULT}}]}], "stats": {HOST: {ok, changed, failures,
unreachable, skipped, rescued, ignored}}}. One "plays" entry per serial
batch (Ansible starts the play again for each).

  ANSIBLE_CALLBACK_PLUGINS=tests/ansible/callback_plugins \\
  ANSIBLE_STDOUT_CALLBACK=hp_json ansible-playbook ...
"""

import json

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: hp_json
type: stdout
short_description: the run as one JSON document (hotpatch tests)
description: One JSON document on stdout at the end of the run.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "hp_json"

    def __init__(self):
        super().__init__()
        self.plays = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append({"play": {"name": play.get_name()},
                           "hosts": [], "tasks": []})

    def _task(self, task):
        self.plays[-1]["tasks"].append({"task": {"name": task.get_name()},
                                        "hosts": {}})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._task(task)

    def _result(self, result, **extra):
        r = dict(result._result)
        r.update(extra)
        name = result._host.get_name()
        self.plays[-1]["tasks"][-1]["hosts"][name] = r
        if name not in self.plays[-1]["hosts"]:
            self.plays[-1]["hosts"].append(name)

    def v2_runner_on_ok(self, result):
        self._result(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result(result, failed=True)

    def v2_runner_on_skipped(self, result):
        self._result(result, skipped=True)

    def v2_runner_on_unreachable(self, result):
        self._result(result, unreachable=True, failed=True)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        doc = {"plays": self.plays,
               "stats": {h: stats.summarize(h) for h in hosts}}
        self._display.display(json.dumps(doc, default=str))
