"""gunicorn's settings for sendtrack: `gunicorn -c gunicorn.conf.py sendtrack.wsgi`.

Each can be changed from the environment (WEB_CONCURRENCY, GUNICORN_THREADS, PORT). The app is
loaded once in the master (preload_app), WeasyPrint warmed up with it (sendtrack/wsgi.py), and
the workers forked from it share that memory; no database connection is opened before the fork.
"""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Pages spend part of their time waiting on PostgreSQL: two processes per core, two threads each.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
preload_app = True
timeout = 60
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so no slow growth lasts.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
