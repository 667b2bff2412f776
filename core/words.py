"""Words the pages build from lists and numbers."""


def listed(items):
    """ "Reading", "Reading and Maths", "Reading, Writing and Maths"; "" for none."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def letters(position):
    """Letters as spreadsheet columns are named, for the column of an imported file, a pupil of
    an anonymised sample ("Pupil B") or a school its trust lead sees unnamed ("School C"):
    1 -> "A", 26 -> "Z", 27 -> "AA", 28 -> "AB"."""
    name = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
