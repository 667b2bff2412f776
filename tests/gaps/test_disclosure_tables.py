"""Disclosure control on question B's table by SEN status: SEN support and EHC plan add up to all
SEND, so a hidden EHC plan figure must not be all SEND less SEN support."""

from gaps.sen_status import status_shares
from pupils.models import SenStatus


def test_ehc_plan_cannot_be_all_send_less_sen_support():
    counts = {
        SenStatus.NONE: (40, 50),
        SenStatus.SEN_SUPPORT: (10, 20),
        SenStatus.EHCP: (2, 3),
        "send": (12, 23),
    }
    shares = {key: str(share) for key, share in status_shares(counts, 5).items()}
    # EHC plan: 2 of 3, both under 5. All SEND 12 of 23 less SEN support 10 of 20 would give 2 of
    # 3 back, so SEN support is withheld too; all SEND stays (with SEN support hidden, EHC plan at
    # or above could be 1, 2, 3 or 4 of a group of 1 to 4). No SEN is its own group: 40 of 50.
    assert shares == {
        SenStatus.NONE: "80% (40/50)",
        SenStatus.SEN_SUPPORT: "c",
        SenStatus.EHCP: "c",
        "send": "52% (12/23)",
    }
    assert {k: str(s) for k, s in status_shares(counts, 0).items()}[SenStatus.EHCP] == "67% (2/3)"


def test_suspensions_of_ehc_plan_pupils_cannot_be_all_send_less_sen_support():
    from gaps.exclusions import _row, _table  # noqa: PLC0415  (the table without the queries)

    def c(susp, n, suspensions):
        return {"susp": susp, "n": n, "suspensions": suspensions, "permanent": 0}

    # No SEN, SEN support, EHC plan, all SEND, then MLD and SEMH among SEND.
    counts = [c(10, 100, 12), c(6, 20, 7), c(2, 8, 2), c(8, 28, 9), c(5, 16, 6), c(3, 12, 3)]
    labels = ["No SEN", "SEN support", "EHC plan", "All SEND", "MLD", "SEMH"]
    table = _table(counts, {"susp": 18, "n": 128}, 3, 5)
    rows = {label: _row(label, i, table) for i, label in enumerate(labels)}

    def shown(label):
        row = rows[label]
        return str(row.pupils_suspended), str(row.suspensions), str(row.share_of_suspended)

    # EHC plan: 2 pupils suspended, 2 suspensions, both under 5. All SEND 8 less SEN support 6 would
    # give the 2 back, and 9 less 7 the suspensions: SEN support's are withheld too. SEMH's 3 is
    # under 5; all SEND 8 less MLD 5 leaves 3 only if no SEND pupil is without a recorded need,
    # which the reader cannot know, so MLD stays.
    assert shown("No SEN") == ("10% (10/100)", "12", "56% (10/18)")
    assert shown("SEN support") == ("c", "c", "c")
    assert shown("EHC plan") == ("c", "c", "c")
    assert shown("All SEND") == ("29% (8/28)", "9", "44% (8/18)")
    assert shown("MLD") == ("31% (5/16)", "6", "28% (5/18)")
    assert shown("SEMH") == ("c", "c", "c")
    assert str(rows["EHC plan"].share_of_school) == "6% (8/128)"
