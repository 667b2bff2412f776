"""How the SEF compares two groups: the gap between their percentages and which way it moves."""


def gap_between(send, others):
    """Others' percentage minus SEND pupils' percentage, or None when either is not shown."""
    if send.percent is None or others.percent is None:
        return None
    return others.percent - send.percent


def trend_word(now, before):
    if now is None or before is None:
        return "no earlier figure"
    if now < before:
        return f"narrowing (from {before} to {now} points)"
    if now > before:
        return f"widening (from {before} to {now} points)"
    return f"unchanged at {now} points"
