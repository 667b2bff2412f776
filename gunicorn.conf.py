"""gunicorn's settings for sendtrack: `gunicorn -c gunicorn.conf.py sendtrack.wsgi`.

Each can be changed from the environment (WEB_CONCURRENCY, GUNICORN_THREADS, PORT). The app is
loaded once in the master (preload_app), WeasyPrint warmed up with it (sendtrack/wsgi.py), and
the workers forked from it share that memory; no database connection is opened before the fork.
"""

import gc
import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Pages are CPU work in Python with short waits on PostgreSQL: two processes per core and one
# more, one request at a time each (gunicorn's sync worker). A free worker takes the next
# connection, so a slow page holds up no one else; threads in one process (GUNICORN_THREADS
# above 1, the gthread worker) share its GIL and keep each client on the worker holding its
# keep-alive connection. In the load run (docs/scaling.md), at the same 33 to 35 requests a
# second, the pages' 95th percentiles were 1.6 to 2.1 s with 4 workers of 2 threads and 0.9 to
# 1.3 s with 6 sync workers. Run behind a proxy that buffers (nginx), as gunicorn's
# documentation advises for sync workers.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
preload_app = True


def pre_fork(server, worker):
    # What the master loaded (Django, the app, WeasyPrint) lives as long as the worker: move it
    # out of the garbage collector's sight, so collections do not walk it again and again nor
    # touch (and so copy) the pages the workers share.
    gc.freeze()


def post_fork(server, worker):
    # A page allocates many short-lived objects; collect the youngest generation less often.
    gc.set_threshold(50_000, 20, 100)


# A sync worker is silent while it answers, so this is also the longest a request may take. With no
# task queue (no REDIS_URL) a job runs in the request that starts it, and a trust's governor pack
# of 51 PDFs took 349 s that way on a loaded machine (docs/scaling.md). A trust runs a Celery
# worker; this leaves the in-process pack room without keeping a stuck worker for ever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "600"))
graceful_timeout = 30
# A worker is replaced after this many requests, so no slow growth lasts.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
