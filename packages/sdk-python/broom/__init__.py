"""broom: the Python client of a broom sweep. Standard library only; copy this file if you like.

    import broom

    run = broom.init(config={"lr": 0.01, "epochs": 10})   # the sweep's values win
    for epoch in range(run.config.epochs):
        broom.log({"epoch": epoch, "val_loss": train(run.config.lr)})
    broom.finish()

It writes broom's metrics protocol (docs/metrics-protocol.md in the broom repository): one JSON
object per line appended to the file the agent names in BROOM_METRICS_FILE; a line
{"_summary": {...}} sets summary values. The run's config comes from BROOM_CONFIG (JSON) or the
file BROOM_CONFIG_FILE. Outside a sweep the config is the defaults and lines go to standard error,
so the same script runs on its own.
"""

import atexit
import json
import os
import sys
import threading

__all__ = ["init", "log", "summary", "finish", "Run", "Config", "config", "run"]
__version__ = "0.1.0"

#: The current run and its config (like ``wandb.run`` / ``wandb.config``); set by :func:`init`.
run = None
config = None

_lock = threading.Lock()


def _say(text):
    sys.stderr.write("broom: %s\n" % text)
    sys.stderr.flush()


def _deep_merge(target, source):
    """Merge ``source`` into ``target`` in place: source wins; dicts in both are merged recursively."""
    for key, value in source.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged = dict(current)
            _deep_merge(merged, value)
            target[key] = merged
        elif isinstance(value, dict):
            target[key] = _deep_merge({}, value)
        else:
            target[key] = value
    return target


class Config(dict):
    """The run's config: a dict whose keys can also be read as attributes (``config.lr``).

    Keys set by the sweep are locked, as in W&B: assigning or updating them later is ignored with a
    warning, so that "defaults in code, sweep values win" holds whatever order the code runs in.
    """

    def __init__(self, values=None, locked=()):
        super().__init__(values or {})
        object.__setattr__(self, "_locked", frozenset(locked))

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError("config has no key %r" % name) from None

    def __setattr__(self, name, value):
        self[name] = value

    def __setitem__(self, key, value):
        if key in self._locked:
            _say("Config item '%s' was locked by 'sweep' (ignored update)." % key)
            return
        super().__setitem__(key, value)

    def update(self, other=(), **kwargs):
        for key, value in dict(other, **kwargs).items():
            self[key] = value

    def setdefaults(self, defaults):
        """Add the keys of ``defaults`` that the config does not have yet (W&B's ``setdefaults``)."""
        for key, value in dict(defaults).items():
            if key not in self:
                super().__setitem__(key, value)

    def as_dict(self):
        return dict(self)


def _json_default(value):
    """Make numpy scalars and arrays, tensors and other objects JSON-friendly, never fail."""
    for method in ("item", "tolist"):
        fn = getattr(value, method, None)
        if callable(fn):
            try:
                return fn()
            except Exception:  # noqa: BLE001 - e.g. item() on a multi-element array
                pass
    if hasattr(value, "__float__"):
        try:
            return float(value)
        except Exception:  # noqa: BLE001
            pass
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _read_sweep_values(env):
    text = env.get("BROOM_CONFIG")
    source = "BROOM_CONFIG"
    if not text and env.get("BROOM_CONFIG_FILE"):
        source = env["BROOM_CONFIG_FILE"]
        try:
            with open(source, encoding="utf-8") as f:
                text = f.read()
        except OSError as error:
            raise RuntimeError("broom: cannot read the run's config from BROOM_CONFIG_FILE=%s: %s" % (source, error)) from None
    if not text:
        return {}
    try:
        values = json.loads(text)
    except ValueError as error:
        raise RuntimeError("broom: the run's config in %s is not valid JSON: %s" % (source, error)) from None
    if not isinstance(values, dict):
        raise RuntimeError("broom: the run's config in %s must be a JSON object, but got %s" % (source, type(values).__name__))
    return values


class Run:
    """One run. Prefer :func:`init`, which also sets ``broom.run`` and ``broom.config``."""

    def __init__(self, config=None, env=None):
        env = os.environ if env is None else env
        if config is None:
            defaults = {}
        elif isinstance(config, dict):
            defaults = dict(config)
        elif hasattr(config, "__dict__"):  # argparse.Namespace and friends
            defaults = dict(vars(config))
        else:
            raise TypeError("broom.init(config=...) expects a dict, but got %s" % type(config).__name__)
        self.id = env.get("BROOM_RUN_ID") or None
        self.sweep_id = env.get("BROOM_SWEEP_ID") or None
        self.in_sweep = self.id is not None
        sweep_values = _read_sweep_values(env)
        self.config = Config(_deep_merge(defaults, sweep_values), locked=sweep_values.keys())
        self._file = None
        self._finished = False
        path = env.get("BROOM_METRICS_FILE")
        if path:
            self._file = open(path, "a", encoding="utf-8", buffering=1)
        elif self.in_sweep:
            _say("BROOM_METRICS_FILE is not set: metrics are printed here and not recorded.")
        else:
            _say("not running in a sweep (no BROOM_RUN_ID): using the config defaults; metrics are printed here.")

    def log(self, row, step=None, commit=None):  # noqa: ARG002 - commit kept for W&B compatibility
        """Append one history row, e.g. ``run.log({"epoch": 3, "val_loss": 0.21})``."""
        if not isinstance(row, dict):
            raise TypeError("broom.log expects a dict such as {'loss': 0.3}, but got %s" % type(row).__name__)
        if step is not None:
            row = dict(row, _step=step)
        self._emit(row)

    def summary(self, values):
        """Set summary values (the run's final numbers; by default the last logged value of each key)."""
        if not isinstance(values, dict):
            raise TypeError("broom.summary expects a dict, but got %s" % type(values).__name__)
        self._emit({"_summary": values})

    def finish(self, exit_code=None):  # noqa: ARG002 - the agent reads the exit code of the process
        """Close the metrics file. Calling it twice is harmless."""
        with _lock:
            if self._finished:
                return
            self._finished = True
            if self._file is not None:
                self._file.close()
                self._file = None

    def _emit(self, value):
        line = json.dumps(value, default=_json_default, allow_nan=True, separators=(",", ":"))
        with _lock:
            if self._finished:
                raise RuntimeError("broom: this run has finished; call broom.init() again to start another.")
            if self._file is not None:
                self._file.write(line + "\n")
            else:
                _say(line)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.finish()
        return False


def init(config=None, **kwargs):  # noqa: ARG001 - W&B's project=, name=, ... are accepted and ignored
    """Start the run: the sweep's values merged over ``config`` (sweep wins, nested dicts merged)."""
    if run is not None:
        run.finish()
    new = Run(config)
    _set_current(new)
    return new


def _set_current(new):
    global run, config
    run = new
    config = new.config if new is not None else None


def _active():
    if run is None:
        _set_current(Run())
    return run


def log(row, step=None, commit=None):
    """Append one history row to the current run (started with no defaults if there is none)."""
    _active().log(row, step=step, commit=commit)


def summary(values):
    """Set summary values of the current run."""
    _active().summary(values)


def finish(exit_code=None):
    """Close the current run's metrics file."""
    if run is not None:
        run.finish(exit_code)
    _set_current(None)


atexit.register(finish)
