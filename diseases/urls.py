from django.urls import path

from diseases import views

app_name = "diseases"

urlpatterns = [
    path("", views.disease_search, name="search"),
    path("suggestions/", views.disease_suggestions, name="suggestions"),
    path("<int:orpha_code>/", views.disease_detail, name="detail"),
]
