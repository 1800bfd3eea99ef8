"""Record real Optuna's pruning verdicts for broom's tests (test/fixtures/optuna-golden.json).

Run:  python3 -m venv /tmp/optuna-venv && /tmp/optuna-venv/bin/pip install optuna
      /tmp/optuna-venv/bin/python scripts/optuna-golden.py > test/fixtures/optuna-golden.json

Each scenario runs its trials one after the other, as Optuna's own loop does: report every value,
call should_prune() after each report, stop a pruned trial, complete the others with their last
value. Every verdict is recorded with the trial and step it was given at.
"""
import json
import math
import random

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def curves(seed, n_trials, n_steps, stride=1, nan_rate=0.0, gaps=False):
    rnd = random.Random(seed)
    out = []
    for _ in range(n_trials):
        level = rnd.uniform(1, 10)
        decay = rnd.uniform(0.8, 0.99)
        points = []
        step = 0
        while step < n_steps:
            level = level * decay + rnd.uniform(-0.3, 0.3)
            value = round(level, 3)
            if nan_rate and rnd.random() < nan_rate:
                value = math.nan
            points.append([step, value])
            step += stride if not gaps else rnd.choice([1, 1, 2, 3])
        out.append(points)
    return out


def make(kind, args):
    cls = getattr(optuna.pruners, kind)
    if kind == "PatientPruner":
        wrapped = args.get("wrapped_pruner")
        inner = make(wrapped["type"], wrapped.get("args", {})) if wrapped else None
        return cls(inner, **{k: v for k, v in args.items() if k != "wrapped_pruner"})
    return cls(**args)


def run(name, kind, args, direction, trial_curves, study_name="golden"):
    pruner = make(kind, args)
    study = optuna.create_study(direction=direction, pruner=pruner, study_name=study_name)
    checks = []
    reports = []
    for n, points in enumerate(trial_curves):
        trial = study.ask()
        reported = []
        state = "complete"
        for step, value in points:
            trial.report(value, step)
            reported.append([step, None if math.isnan(value) else value])
            verdict = bool(trial.should_prune())
            checks.append({"trial": n, "step": step, "prune": verdict})
            if verdict:
                state = "pruned"
                break
        reports.append(reported)
        if state == "pruned":
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            last = points[-1][1]
            study.tell(trial, 0.0 if math.isnan(last) else last)
    scenario = {
        "name": name,
        "type": kind,
        "args": args,
        "direction": direction,
        "study_name": study_name,
        # What each trial reported (NaN as null), up to where it was pruned.
        "trials": reports,
        "checks": checks,
        "pruned": sum(1 for c in checks if c["prune"]),
    }
    if kind == "HyperbandPruner" and pruner._pruners:
        frozen = study.get_trials(deepcopy=False)
        scenario["brackets"] = [pruner._get_bracket_id(study, t) for t in frozen]
        scenario["budgets"] = list(pruner._trial_allocation_budgets)
    return scenario


def run_parallel(name, kind, args, direction, trial_curves, workers, study_name="golden-parallel"):
    """Trials `workers` at a time, taking turns to report one value each (should_prune() after
    every report). The checks are in the order they happened, so replaying them rebuilds the study
    as it was at each one."""
    pruner = make(kind, args)
    study = optuna.create_study(direction=direction, pruner=pruner, study_name=study_name)
    pending = list(enumerate(trial_curves))
    active = []  # [number, trial, points, position]
    status = {}  # number -> [state, count]
    checks = []

    def start():
        n, points = pending.pop(0)
        t = study.ask()
        assert t.number == n
        active.append([n, t, points, 0])
        status[n] = ["running", 0]

    while pending and len(active) < workers:
        start()
    while active:
        for entry in list(active):
            n, t, points, pos = entry
            step, value = points[pos]
            t.report(value, step)
            entry[3] = pos + 1
            status[n][1] = pos + 1
            verdict = bool(t.should_prune())
            checks.append({"trial": n, "step": step, "prune": verdict})
            if verdict or entry[3] == len(points):
                if verdict:
                    study.tell(t, state=optuna.trial.TrialState.PRUNED)
                    status[n][0] = "pruned"
                else:
                    last = points[-1][1]
                    study.tell(t, 0.0 if math.isnan(last) else last)
                    status[n][0] = "complete"
                active.remove(entry)
                if pending:
                    start()
    return {
        "name": name,
        "type": kind,
        "args": args,
        "direction": direction,
        "study_name": study_name,
        "trials": [[[s, None if math.isnan(v) else v] for s, v in points] for points in trial_curves],
        "checks": checks,
        "pruned": sum(1 for c in checks if c["prune"]),
        "parallel": workers,
    }


scenarios = [
    run("median defaults", "MedianPruner", {}, "minimize", curves(1, 12, 10)),
    run("median, 2 startup trials", "MedianPruner", {"n_startup_trials": 2}, "maximize", curves(2, 12, 10)),
    run(
        "percentile 25, warmup 3, interval 2, n_min_trials 2, gaps",
        "PercentilePruner",
        {"percentile": 25.0, "n_startup_trials": 2, "n_warmup_steps": 3, "interval_steps": 2, "n_min_trials": 2},
        "minimize",
        curves(3, 16, 14, gaps=True),
    ),
    run(
        "percentile 75, maximize, NaN values",
        "PercentilePruner",
        {"percentile": 75.0, "n_startup_trials": 1},
        "maximize",
        curves(4, 14, 10, nan_rate=0.1),
    ),
    run("successive halving defaults", "SuccessiveHalvingPruner", {}, "minimize", curves(5, 24, 20)),
    run(
        "successive halving min_resource 2, eta 2, rate 1, bootstrap 2",
        "SuccessiveHalvingPruner",
        {"min_resource": 2, "reduction_factor": 2, "min_early_stopping_rate": 1, "bootstrap_count": 2},
        "maximize",
        curves(6, 20, 20),
    ),
    run("successive halving eta 3, NaN values", "SuccessiveHalvingPruner", {"min_resource": 1, "reduction_factor": 3}, "minimize", curves(7, 20, 12, nan_rate=0.08)),
    run("successive halving eta 2, steps with gaps", "SuccessiveHalvingPruner", {"min_resource": 1, "reduction_factor": 2}, "minimize", curves(14, 24, 20, gaps=True)),
    run("hyperband eta 2, steps with gaps", "HyperbandPruner", {"max_resource": 20, "reduction_factor": 2}, "maximize", curves(15, 30, 20, gaps=True), study_name="gappy"),
    run("hyperband defaults", "HyperbandPruner", {}, "minimize", curves(8, 30, 27), study_name="optuna-study-abc123"),
    run(
        "hyperband max_resource 30, eta 2, bootstrap 1",
        "HyperbandPruner",
        {"min_resource": 1, "max_resource": 30, "reduction_factor": 2, "bootstrap_count": 1},
        "maximize",
        curves(9, 30, 30),
        study_name="optuna-study-xyz",
    ),
    run("hyperband max_resource 243 (5 brackets in Python's floats)", "HyperbandPruner", {"max_resource": 243}, "minimize", curves(16, 30, 30), study_name="s243"),
    run("threshold lower/upper, warmup 2, interval 3", "ThresholdPruner", {"lower": 1.0, "upper": 8.0, "n_warmup_steps": 2, "interval_steps": 3}, "minimize", curves(10, 12, 15, gaps=True, nan_rate=0.05)),
    run("patient, no wrapped pruner, patience 2, min_delta 0.1", "PatientPruner", {"wrapped_pruner": None, "patience": 2, "min_delta": 0.1}, "minimize", curves(11, 10, 25)),
    run("patient, no wrapped pruner, maximize, patience 1, min_delta 0.05", "PatientPruner", {"wrapped_pruner": None, "patience": 1, "min_delta": 0.05}, "maximize", curves(12, 10, 25)),
    run(
        "patient wrapping a median pruner",
        "PatientPruner",
        {"wrapped_pruner": {"type": "MedianPruner", "args": {"n_startup_trials": 2}}, "patience": 1, "min_delta": 0.0},
        "minimize",
        curves(13, 14, 20),
    ),
    run(
        "patient wrapping successive halving",
        "PatientPruner",
        {"wrapped_pruner": {"type": "SuccessiveHalvingPruner", "args": {"min_resource": 1, "reduction_factor": 2}}, "patience": 1},
        "maximize",
        curves(17, 16, 20),
    ),
]

scenarios += [
    run_parallel("median, 4 trials at a time", "MedianPruner", {"n_startup_trials": 2}, "minimize", curves(20, 16, 12), 4),
    run_parallel("successive halving, 4 trials at a time", "SuccessiveHalvingPruner", {"min_resource": 1, "reduction_factor": 2}, "minimize", curves(21, 24, 16), 4),
    run_parallel("successive halving min_resource 2, 3 at a time, maximize", "SuccessiveHalvingPruner", {"min_resource": 2}, "maximize", curves(22, 20, 40), 3),
    run_parallel("hyperband max_resource 16, 5 trials at a time", "HyperbandPruner", {"max_resource": 16, "reduction_factor": 2}, "minimize", curves(23, 30, 16), 5, study_name="optuna-study-par"),
    run_parallel("patient wrapping successive halving, 4 at a time", "PatientPruner", {"wrapped_pruner": {"type": "SuccessiveHalvingPruner", "args": {"min_resource": 1, "reduction_factor": 2}}, "patience": 1}, "minimize", curves(24, 20, 16), 4),
]

print(json.dumps({"optuna": optuna.__version__, "scenarios": scenarios}, separators=(",", ":")))
