from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from jamaat.core.models import AuditEntry, User


@admin.register(User)
class JamaatUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Jamaat", {"fields": ("full_name", "phone", "language", "is_agency_officer")}),
    )
    list_display = ["username", "full_name", "email", "is_agency_officer", "is_superuser"]
    search_fields = ["username", "full_name", "email"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "municipality", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type", "municipality"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
