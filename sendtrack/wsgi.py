import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendtrack.settings.production")

application = get_wsgi_application()

if os.environ.get("PDF_WARM_UP", "1") == "1":
    # WeasyPrint loads Pango and the fonts on its first PDF (about 3 s). Do it once here, at start:
    # with gunicorn's preload_app (gunicorn.conf.py) in the master, which the workers then share.
    from core.documents import pdf_bytes

    pdf_bytes("<p>sendtrack</p>")
