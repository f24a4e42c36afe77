from django.urls import path

from jamaat.paper import views

app_name = "paper"

urlpatterns = [
    path("manage/paper/", views.batch_list, name="list"),
    path("manage/paper/new/", views.batch_new, name="new"),
    path("manage/paper/print/", views.print_forms, name="print"),
    path("manage/paper/<int:pk>/", views.batch_detail, name="batch"),
    path("manage/paper/<int:pk>/entry/", views.entry, name="entry"),
    path("manage/paper/<int:pk>/discrepancies/", views.discrepancies, name="discrepancies"),
]
