"""The Django project of the pre-fork benchmark (Tools/bench/prefork/run)."""
