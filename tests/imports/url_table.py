from core.roles import Role


def batch_of(world_school):
    from imports.models import ImportBatch

    return ImportBatch.objects.create(
        school=world_school.school, kind="pupils", file_name="pupils.csv", sha256="0" * 64
    )


PERMISSIONS = {
    "imports:index": ("get", {Role.SENCO}, False),
    "imports:ctf_export": ("get", {Role.SENCO}, False),
    "imports:template": ("get", {Role.SENCO}, False),
    "imports:batch": ("get", {Role.SENCO}, "batch"),
    "imports:confirm": ("post", {Role.SENCO}, "batch"),
}
TARGETS = {"batch": batch_of}
EXTRA_KWARGS = {"imports:template": {"kind": "pupils"}}
