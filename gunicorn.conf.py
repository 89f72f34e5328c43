"""gunicorn settings for the service: `gunicorn -c gunicorn.conf.py wsgi:app`.

(gunicorn also reads this file by itself when started from the repository
root.) Command-line flags win over it: `make run` passes --workers and --bind.

Why these settings:

- ``gthread`` with a few threads per worker: with the default ``sync``
  class, each worker serves one request at a time, so two slow requests (two
  5 MB imports, an export) on 2 workers leave nobody to answer a reader.
  With threads, a worker keeps accepting while one thread is busy; Python
  hands the GIL to the other threads every few milliseconds, so a cheap
  request next to a CPU-bound one waits a little, not for the whole import
  (tests/test_liveness.py measures it). Threads and not gevent: the code is
  CPU-bound Python plus SQLite, nothing to gain from green threads.
- ``timeout`` 30 s: a gthread worker reports to the master from its main
  loop, between requests' time slices, so a long request does not trip it;
  only a worker that is stuck as a whole (a C call holding the GIL, a
  deadlock) does, and the master then kills it and starts a new one. 30 s is
  well above any legitimate request (a 5 MB import takes a few seconds).
- ``max_requests``: a big import leaves the worker's heap large (CPython
  keeps freed arenas); recycling workers now and then, at staggered counts,
  returns that memory without a visible restart.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = 4
timeout = 30
graceful_timeout = 10
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
