"""Start-up: `python -c pass`, wall time of the whole process.

The harness launches the interpreter LAUNCHES times per sample and checks
each run's exit status and (empty) output; the figure is seconds per
launch, including the harness's fork and exec, which is the same for
every contender.
"""

GROUP = "startup"
KIND = "startup"
ARGS = ["-c", "pass"]
LAUNCHES = 20
EXPECT_STDOUT = ""
