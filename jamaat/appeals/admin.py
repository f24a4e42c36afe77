from django.contrib import admin

from jamaat.appeals.models import AppealSettings, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name_ky", "name_ru")
    date_hierarchy = "date"
    search_fields = ("name_ky", "name_ru")


@admin.register(AppealSettings)
class AppealSettingsAdmin(admin.ModelAdmin):
    list_display = ("municipality", "number_prefix", "answer_working_days")
