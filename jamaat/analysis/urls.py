from django.urls import path

from jamaat.analysis import views

app_name = "analysis"

urlpatterns = [
    path("manage/analysis/", views.index, name="index"),
    path("manage/analysis/q/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("manage/analysis/q/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("manage/analysis/topics/", views.topics_page, name="topics"),
    path("manage/analysis/reports/", views.reports, name="reports"),
    path("manage/analysis/reports/<int:pk>/", views.report_job, name="report_job"),
    path("manage/analysis/reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("manage/analysis/reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path(
        "manage/analysis/reports/<int:pk>/presented/",
        views.report_presented,
        name="report_presented",
    ),
    path("analysis/reports/", views.public_reports, name="public_reports"),
    path("analysis/reports/<int:pk>/download/", views.public_download, name="public_download"),
]
