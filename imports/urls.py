app_name = "imports"

urlpatterns: list = [
    # Filled in by the imports work: upload, preview, confirm, templates.
]
