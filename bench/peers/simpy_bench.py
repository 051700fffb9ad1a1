"""SimPy's side of vtsim's peer comparison (bench/peers).

Usage:
    python3 simpy_bench.py probe
    python3 simpy_bench.py WORKLOAD STYLE N [PENDING]

WORKLOAD is hold, mm1, pingpong or sleepers; STYLE is processes, or
callbacks (hold only). N is the number of events counted (hold, pingpong,
sleepers) or of customers (mm1); PENDING is hold's number of pending
timers. The script prints one line that the Go driver parses:

    RESULT events=E seconds=S cpu=C [wq=W]

where S is the wall time of the simulation only (no start-up), measured
with time.perf_counter, and C the CPU time of the process meanwhile
(time.process_time). "probe" prints the versions:

    SIMPY version=V python=P

SimPy is found through the SIMPY_SRC environment variable (a directory
holding the simpy package, put first on sys.path) or an installed simpy;
with neither, the script prints a line starting with SKIP and exits 0.
Every generator is random.Random(42). Events are counted as the Go sides
count them: timer firings (hold), 2 per customer (mm1), put->get
hand-offs (pingpong), wake-ups (sleepers).
"""

import os
import platform
import random
import re
import sys
import time

LAMBDA = 0.9  # mm1 arrivals per unit of time
MU = 1.0  # mm1 services per unit of time


def load_simpy():
    """Returns the simpy module, or None if it cannot be found."""
    src = os.environ.get("SIMPY_SRC")
    if src:
        sys.path.insert(0, src)
    try:
        import simpy
    except ImportError:
        return None
    return simpy


def clock():
    """Returns the wall and CPU clocks, for since."""
    return time.perf_counter(), time.process_time()


def since(start):
    """Returns the wall and CPU seconds since start, a clock() reading."""
    return time.perf_counter() - start[0], time.process_time() - start[1]


def simpy_version(simpy):
    """Returns SimPy's version: the package's, or else the one that the path
    of its source names (simpy-X.Y.Z), or else "unknown"."""
    version = getattr(simpy, "__version__", None)
    if version:
        return version
    m = re.search(r"simpy-(\d+(?:\.\d+)+)", os.path.abspath(simpy.__file__))
    return m.group(1) if m else "unknown"


def hold_callbacks(simpy, n, pending):
    """hold with timeouts whose callback schedules the next timeout."""
    env = simpy.Environment()
    expo = random.Random(42).expovariate
    stop = env.event()
    fired = 0

    def fire(_):
        nonlocal fired
        if fired >= n:
            return
        fired += 1
        if fired == n:
            stop.succeed()
            return
        env.timeout(expo(1.0)).callbacks.append(fire)

    start = clock()
    for _ in range(pending):
        env.timeout(expo(1.0)).callbacks.append(fire)
    env.run(until=stop)
    return fired, since(start), None


def hold_processes(simpy, n, pending):
    """hold with processes, each looping on a timeout of Exp(1)."""
    env = simpy.Environment()
    expo = random.Random(42).expovariate
    stop = env.event()
    woke = 0

    def holder():
        nonlocal woke
        while True:
            yield env.timeout(expo(1.0))
            if woke >= n:
                return
            woke += 1
            if woke == n:
                stop.succeed()

    start = clock()
    for _ in range(pending):
        env.process(holder())
    env.run(until=stop)
    return woke, since(start), None


def mm1(simpy, n, _pending):
    """M/M/1: a source process starts a process per customer, which requests
    a Resource of capacity 1, holds it Exp(MU) and releases it."""
    env = simpy.Environment()
    expo = random.Random(42).expovariate
    server = simpy.Resource(env, capacity=1)
    wait = 0.0
    served = 0

    def customer():
        nonlocal wait, served
        arrived = env.now
        with server.request() as req:
            yield req
            wait += env.now - arrived
            yield env.timeout(expo(MU))
        served += 1

    def source():
        for _ in range(n):
            yield env.timeout(expo(LAMBDA))
            env.process(customer())

    start = clock()
    env.process(source())
    env.run()
    elapsed = since(start)
    if served != n:
        raise RuntimeError("mm1: %d customers served of %d" % (served, n))
    return 2 * served, elapsed, wait / served


def pingpong(simpy, n, _pending):
    """pingpong through two unbounded Stores; a put into an unbounded store
    succeeds at once, so no process waits on one."""
    env = simpy.Environment()
    to, back = simpy.Store(env), simpy.Store(env)
    got = 0

    def ping():
        nonlocal got
        for i in range(n // 2):
            to.put(i)
            yield back.get()
            got += 1

    def pong():
        nonlocal got
        for _ in range(n // 2):
            v = yield to.get()
            got += 1
            back.put(v)

    start = clock()
    env.process(ping())
    env.process(pong())
    env.run()
    return got, since(start), None


def sleepers(simpy, n, _pending):
    """n processes started at t = 0, each sleeping Exp(1) once."""
    env = simpy.Environment()
    expo = random.Random(42).expovariate
    woke = 0

    def sleeper():
        nonlocal woke
        yield env.timeout(expo(1.0))
        woke += 1

    start = clock()
    for _ in range(n):
        env.process(sleeper())
    env.run()
    return woke, since(start), None


RUNS = {
    ("hold", "callbacks"): hold_callbacks,
    ("hold", "processes"): hold_processes,
    ("mm1", "processes"): mm1,
    ("pingpong", "processes"): pingpong,
    ("sleepers", "processes"): sleepers,
}


def main(argv):
    simpy = load_simpy()
    if simpy is None:
        print("SKIP simpy: not found (set SIMPY_SRC to SimPy's src directory, or install simpy)")
        return 0
    if argv[:1] == ["probe"]:
        print("SIMPY version=%s python=%s" % (simpy_version(simpy), platform.python_version()))
        return 0
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    run = RUNS.get((argv[0], argv[1]))
    if run is None:
        print("simpy_bench: no workload %s in style %s" % (argv[0], argv[1]), file=sys.stderr)
        return 2
    n = int(argv[2])
    pending = int(argv[3]) if len(argv) == 4 else 0
    events, (seconds, cpu), wq = run(simpy, n, pending)
    line = "RESULT events=%d seconds=%.9f cpu=%.6f" % (events, seconds, cpu)
    if wq is not None:
        line += " wq=%.6f" % wq
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
