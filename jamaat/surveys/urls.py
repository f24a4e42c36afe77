from django.urls import path

from jamaat.surveys import views

app_name = "surveys"

urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="list"),
    path("questionnaires/<int:pk>/", views.answer, name="answer"),
    path("questionnaires/<int:pk>/thanks/", views.thanks, name="thanks"),
    path("manage/questionnaires/", views.manage, name="manage"),
    path("manage/questionnaires/import/", views.import_xlsform, name="import"),
    path("manage/questionnaires/<int:pk>/", views.builder, name="builder"),
    path("manage/questionnaires/<int:pk>/export.xlsx", views.export, name="export"),
    path("manage/questionnaires/<int:pk>/sections/<int:spk>/", views.section_edit, name="section"),
    path("manage/questionnaires/<int:pk>/questions/<int:qpk>/", views.question, name="question"),
]
