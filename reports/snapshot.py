"""The figures object of a report as JSON, and back, for sign-off snapshots.

A figures object is a tree of dataclasses (reports.sef, core.figures) holding numbers,
strings, dates, lists and dicts. `dump` tags each dataclass with its class name and each date;
`load` rebuilds the same tree, so a snapshot renders through the same template as live figures.
Only the classes registered here can be rebuilt; a field a class no longer has is dropped and a
field it has gained takes its default, so old snapshots keep loading as the classes evolve.
"""

import dataclasses
import datetime

from core.figures import Count, Share

TYPE_KEY = "__type__"
DATE_KEY = "__date__"

_REGISTRY = {}


def register(cls):
    """Class decorator: let `load` rebuild instances of this dataclass."""
    _REGISTRY[cls.__name__] = cls
    return cls


def dump(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _REGISTRY.get(name) is not type(value):
            raise TypeError(f"{name} is not registered for snapshots")
        data = {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TYPE_KEY: name, **data}
    if isinstance(value, datetime.date):
        return {DATE_KEY: value.isoformat()}
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): dump(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"Cannot keep {type(value).__name__} in a snapshot")


def load(data):
    if isinstance(data, list):
        return [load(v) for v in data]
    if isinstance(data, dict):
        if DATE_KEY in data:
            return datetime.date.fromisoformat(data[DATE_KEY])
        if TYPE_KEY in data:
            cls = _REGISTRY[data[TYPE_KEY]]
            names = {f.name for f in dataclasses.fields(cls) if f.init}
            return cls(**{k: load(v) for k, v in data.items() if k in names})
        return {k: load(v) for k, v in data.items()}
    return data


# The figures of core.figures that every report holds.
register(Share)
register(Count)
