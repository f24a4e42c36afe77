app_name = "printed"

urlpatterns: list = []
