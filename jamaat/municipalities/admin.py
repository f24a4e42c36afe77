from django.contrib import admin

from jamaat.municipalities.models import Membership, Municipality, Village


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name_ky", "name_ru", "kind", "oblast_ky", "population", "slug"]
    list_filter = ["kind", "oblast_ky"]
    search_fields = ["name_ky", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_ru"]}
    inlines = [VillageInline, MembershipInline]
