"""How a problem with an import file is told to the person importing it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it (None for the whole file), the column
    heading as the file writes it ("" for the whole row) and the reason in plain words."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column:
            return f"Row {self.row}, {self.column}: {self.message}"
        return f"Row {self.row}: {self.message}"
