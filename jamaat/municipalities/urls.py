from django.urls import path

from jamaat.municipalities import views

app_name = "municipalities"

urlpatterns = [path("", views.home, name="home")]
