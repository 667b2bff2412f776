from django.contrib import admin, messages

from .models import (
    MIN_SUPPRESSION_THRESHOLD,
    Membership,
    Organisation,
    OrganisationMembership,
    School,
    SchoolClass,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]
    inlines = [OrganisationMembershipInline]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "organisation", "suppression_threshold"]
    list_filter = ["phase", "organisation"]
    search_fields = ["name", "urn"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        """A threshold below the minimum (which the model allows only with a reason) is saved
        with a warning as the history row's change reason, and the administrator is warned."""
        if obj.suppression_overridden and "suppression_threshold" in form.changed_data:
            warning = (
                f"Warning: suppression threshold set to {obj.suppression_threshold}, below "
                f"{MIN_SUPPRESSION_THRESHOLD}. Reason given: {obj.suppression_override_reason}"
            )
            obj._change_reason = warning[:100]
            messages.warning(
                request,
                f"{obj.name}: figures over as few as {obj.suppression_threshold} pupils are now shown to "
                f"governors (below {MIN_SUPPRESSION_THRESHOLD}). This is kept with a warning in the "
                "school's history.",
            )
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "is_active"]
    list_filter = ["role", "is_active", "school"]
    search_fields = ["user__username", "user__email", "school__name"]
    autocomplete_fields = ["user", "school"]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "year_group"]
    list_filter = ["school"]
    filter_horizontal = ["teachers"]
