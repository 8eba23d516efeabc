from django.urls import path

from . import views

app_name = "placements"
urlpatterns = [
    path("", views.placement_list, name="placement_list"),
    path("start/", views.placement_start_bulk, name="placement_start_bulk"),
    path("bulk-move/", views.placement_bulk_move, name="placement_bulk_move"),
    path("<int:pk>/", views.placement_detail, name="placement_detail"),
    path("<int:pk>/move/", views.placement_move, name="placement_move"),
    path("<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("<int:pk>/return/", views.placement_return, name="placement_return"),
    path("next-season/", views.next_season, name="next_season"),
    path("next-season/<int:pk>/invite/", views.next_season_invite, name="next_season_invite"),
    path("reminders/", views.reminders, name="reminders"),
    # Training
    path("training/", views.training_list, name="training_list"),
    path("training/new/", views.batch_create, name="batch_create"),
    path("training/providers/", views.provider_list, name="provider_list"),
    path("training/providers/new/", views.provider_create, name="provider_create"),
    path("training/providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("training/<int:pk>/", views.training_detail, name="training_detail"),
    path("training/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("training/<int:pk>/enrol/", views.batch_enrol, name="batch_enrol"),
    path("training/<int:pk>/results/", views.batch_results, name="batch_results"),
    path("training/<int:pk>/roster/", views.training_roster, name="training_roster"),
    # Cohorts
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/add/", views.cohort_add, name="cohort_add"),
    path("cohorts/<int:pk>/remove/<int:placement_pk>/", views.cohort_remove, name="cohort_remove"),
    path("cohorts/<int:pk>/depart/", views.cohort_depart, name="cohort_depart"),
    path("cohorts/<int:pk>/arrive/", views.cohort_arrive, name="cohort_arrive"),
    path("cohorts/<int:pk>/manifest.xlsx", views.cohort_manifest, name="cohort_manifest"),
]
