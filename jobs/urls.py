from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.user_job_detail, name="user_job_detail"),
    path("<uuid:pk>/download/", views.user_job_download, name="user_job_download"),
]
