"""What every app's forms share."""


def add_validation_errors(form, error):
    """Show a service's ValidationError on the form: each field's messages beside that field, and
    anything about no field (or a field the form does not have) at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
