from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.broadcast_list, name="broadcast_list"),
    path("send/", views.send_to_list, name="send_to_list"),
    path("<int:pk>/", views.broadcast_detail, name="broadcast_detail"),
    path("templates/<int:pk>/preview/", views.template_preview, name="template_preview"),
    path("candidates/<int:pk>/", views.candidate_section, name="candidate_section"),
    path("candidates/<int:pk>/consent/", views.consent_give, name="consent_give"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("delivery/<str:provider>/", views.delivery_report, name="delivery_report"),
]
