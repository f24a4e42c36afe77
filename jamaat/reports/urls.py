from django.urls import path

from jamaat.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/<int:year>-<int:month>/", views.report_detail, name="detail"),
    path("reports/<int:year>-<int:month>/pdf/", views.report_pdf, name="pdf"),
    path("manage/reports/", views.manage, name="manage"),
    path("manage/reports/<int:year>-<int:month>/", views.edit, name="edit"),
    path("manage/reports/<int:year>-<int:month>/recompile/", views.recompile, name="recompile"),
    path("manage/slides/", views.slides, name="slides"),
    path("manage/slides/<str:lang>.<str:fmt>", views.slides_download, name="slides_file"),
]
