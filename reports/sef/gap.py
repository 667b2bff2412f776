"""How the SEF compares two groups: the gap between their percentages and which way it moves."""

from core.gap_direction import gap_direction


def gap_between(send, others):
    """Others' percentage minus SEND pupils' percentage, or None when either is not shown."""
    if send.percent is None or others.percent is None:
        return None
    return others.percent - send.percent


def trend_word(now, before):
    """Which way the gap moved, worded whichever group is ahead (core.gap_direction): "SEND
    pupils 12 points behind, down from 20 (narrowed)"."""
    if now is None:
        return "not shown"
    if before is None:
        return "no earlier figure"
    return gap_direction("SEND pupils", now, before).words
