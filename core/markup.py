"""Markup written in Python for what a page draws many times (the grid's cells, the rows of the
pupil list, the SEN register and the evidence log): a plain value escaped, and the address of a
URL around an id without reversing it for every row. Each gives what the template language gave:
`{{ value }}` and `{% url name pk %}`."""

from functools import cache
from html import escape

from django.urls import get_script_prefix, get_urlconf, reverse

# An id no row has, reversed once and cut out of the address to leave its two parts.
_MARK = 918273645


def text(value):
    """`{{ value }}` of a plain value from the database (text, a number, a model's str): Django's
    escape is the standard library's with a wrapper for lazy text, which none of these is."""
    return escape(str(value))


def url_with_id(name, pk):
    """`{% url name pk %}` for a URL whose one argument is an integer id."""
    head, tail = _url_parts(name, get_script_prefix(), get_urlconf())
    return f"{head}{int(pk)}{tail}"


@cache
def _url_parts(name, prefix, urlconf):
    """The address of the URL named `name` around its one id, for this script prefix and URLconf:
    reversed once, not for every row (an id is digits, which reverse would not quote)."""
    del prefix  # a key of the cache: reverse reads the prefix itself
    head, _, tail = reverse(name, args=[_MARK], urlconf=urlconf).partition(str(_MARK))
    return head, tail
