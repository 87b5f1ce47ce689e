from django.urls import path

from centres import views

app_name = "centres"

urlpatterns = [
    path("", views.site_list, name="list"),
    path("<slug:slug>/", views.site_detail, name="detail"),
    path("<slug:slug>/signaler/", views.report_error, name="report"),
]
