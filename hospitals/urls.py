from django.urls import path

from hospitals import views

app_name = "hospitals"

urlpatterns = [
    path("", views.hospital_list, name="list"),
    path("<slug:slug>/", views.hospital_detail, name="detail"),
    path("<slug:slug>/demander-un-acces/", views.request_access, name="request-access"),
    path(
        "<slug:slug>/demander-un-acces/envoyee/",
        views.request_access_sent,
        name="request-access-sent",
    ),
]
