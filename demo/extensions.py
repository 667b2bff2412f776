"""The demo data each app adds, run in this order by demo.generator.build_demo.

Each entry is the dotted path of a function `add(builder, demo)`: `builder` is the DemoBuilder
(its `seed`, `today` and `year_start`), `demo` the dict build_demo returns (`schools`, a list of
BuiltSchool with `.school` and `.classes`; `users`, by username; `teacher_class`). A function
makes its own `random.Random(builder.seed + n)` so that its data does not depend on the others'.
It should write in bulk (bulk_create), since the scale profiles build 1,500 pupils and more.
"""

EXTENSIONS = [
    "demo.assessment_data.add_assessment_history",
    "demo.national_data.add_national_figures",  # after the assessment points it covers
    "demo.plans_data.add_plans",
    "demo.interventions_data.add_interventions",
    "demo.attendance_data.add_attendance",
    "demo.evidence_data.add_evidence",
    "demo.graduated_data.add_graduated",  # after plans, interventions and evidence: it builds on them
    "demo.inclusion_data.add_inclusion",  # after evidence (it tags some), before reports
    "demo.frameworks_data.add_frameworks",  # after interventions (a reading group's ages), before rollups
    "demo.trust_data.add_rollups",  # after every figure the trust comparison rolls up
    "demo.reports_data.add_reports",  # keep last: it signs off the SEF over everyone's data
]
