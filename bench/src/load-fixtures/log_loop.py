# A training loop that logs every step with broom's Python SDK and times its `log` calls.
# Env: LOG_STEPS, LOG_RESULT (a JSON file to write), LOG_GO (a file to wait for before logging).
import json, os, time
import broom

steps = int(os.environ.get("LOG_STEPS", "100000"))
run = broom.init({"lr": 0.1})
go = os.environ.get("LOG_GO")
while go and not os.path.exists(go):
    time.sleep(0.02)
times = []
t0 = time.perf_counter()
for i in range(steps):
    a = time.perf_counter()
    broom.log({"step": i, "loss": 1 / (i + 1), "acc": i / steps, "lr": 0.1})
    times.append(time.perf_counter() - a)
total = time.perf_counter() - t0
broom.finish()
times.sort()
with open(os.environ["LOG_RESULT"], "w") as f:
    json.dump({"sdk": "python", "steps": steps, "totalMs": total * 1000, "meanUs": total / steps * 1e6,
               "p50Us": times[steps // 2] * 1e6, "p99Us": times[int(steps * 0.99)] * 1e6, "maxUs": times[-1] * 1e6}, f)
