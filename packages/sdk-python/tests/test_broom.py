import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import broom  # noqa: E402


class ConfigTest(unittest.TestCase):
    def test_sweep_values_win_and_nested_dicts_merge(self):
        env = {"BROOM_RUN_ID": "r1", "BROOM_SWEEP_ID": "s1",
               "BROOM_CONFIG": json.dumps({"lr": 0.5, "opt": {"name": "adam"}})}
        with redirect_stderr(io.StringIO()):
            run = broom.Run({"lr": 0.1, "epochs": 3, "opt": {"name": "sgd", "momentum": 0.9}}, env=env)
        self.assertEqual(run.config, {"lr": 0.5, "epochs": 3, "opt": {"name": "adam", "momentum": 0.9}})
        self.assertEqual(run.config.lr, 0.5)
        self.assertEqual((run.id, run.sweep_id, run.in_sweep), ("r1", "s1", True))

    def test_locked_keys_ignore_updates_with_the_wandb_warning(self):
        err = io.StringIO()
        with redirect_stderr(err):
            run = broom.Run({"lr": 0.1}, env={"BROOM_RUN_ID": "r", "BROOM_CONFIG": '{"lr": 0.5}'})
            run.config.lr = 1
            run.config.update({"lr": 2, "other": 3})
            run.config.setdefaults({"lr": 9, "new": 4})
        self.assertEqual(run.config, {"lr": 0.5, "other": 3, "new": 4})
        self.assertIn("Config item 'lr' was locked by 'sweep' (ignored update).", err.getvalue())

    def test_outside_a_sweep_keeps_the_defaults_and_prints(self):
        err = io.StringIO()
        with redirect_stderr(err):
            run = broom.Run({"lr": 0.1}, env={})
            run.log({"loss": 1})
        self.assertEqual(run.config, {"lr": 0.1})
        self.assertFalse(run.in_sweep)
        self.assertIn("not running in a sweep", err.getvalue())
        self.assertIn('broom: {"loss":1}', err.getvalue())

    def test_config_file_and_bad_json(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "c.json")
            with open(path, "w") as f:
                f.write('{"x": 2}')
            with redirect_stderr(io.StringIO()):
                run = broom.Run({"x": 1}, env={"BROOM_CONFIG_FILE": path})
            self.assertEqual(run.config, {"x": 2})
        with self.assertRaisesRegex(RuntimeError, "not valid JSON"):
            broom.Run({}, env={"BROOM_CONFIG": "{x"})


class MetricsTest(unittest.TestCase):
    def test_lines_in_the_metrics_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "metrics.jsonl")
            run = broom.Run({}, env={"BROOM_RUN_ID": "r", "BROOM_METRICS_FILE": path})
            run.log({"loss": 0.3, "epoch": 1})
            run.log({"loss": float("nan"), "big": float("inf")}, step=7)
            run.log({"obj": object.__new__(Weird)})
            run.summary({"best": 0.3})
            run.finish()
            run.finish()
            with open(path) as f:
                lines = f.read().splitlines()
        self.assertEqual(lines[0], '{"loss":0.3,"epoch":1}')
        self.assertEqual(lines[1], '{"loss":NaN,"big":Infinity,"_step":7}')
        self.assertEqual(lines[2], '{"obj":"weird"}')
        self.assertEqual(lines[3], '{"_summary":{"best":0.3}}')
        with self.assertRaises(RuntimeError):
            run.log({"a": 1})

    def test_module_functions(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.jsonl")
            old = dict(os.environ)
            os.environ.update({"BROOM_RUN_ID": "r9", "BROOM_METRICS_FILE": path, "BROOM_CONFIG": '{"a": 1}'})
            try:
                run = broom.init(config={"a": 0, "b": 2}, project="ignored")
                self.assertIs(broom.run, run)
                self.assertEqual(broom.config, {"a": 1, "b": 2})
                broom.log({"v": 1})
                broom.summary({"v": 2})
                broom.finish()
                self.assertIsNone(broom.run)
            finally:
                os.environ.clear()
                os.environ.update(old)
            with open(path) as f:
                self.assertEqual(f.read(), '{"v":1}\n{"_summary":{"v":2}}\n')


class Weird:
    def __str__(self):
        return "weird"


if __name__ == "__main__":
    unittest.main()
