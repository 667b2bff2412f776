"""Letters as spreadsheet columns are named: the column of an imported file, a pupil of an
anonymised sample ("Pupil B"), a school its trust lead sees unnamed ("School C")."""


def letters(position):
    """1 -> "A", 26 -> "Z", 27 -> "AA", 28 -> "AB"."""
    name = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
