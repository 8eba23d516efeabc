from django.urls import path

from .views import cohorts, placements, reminders, season, training

app_name = "placements"
urlpatterns = [
    path("", placements.placement_list, name="placement_list"),
    path("start/", placements.placement_start_bulk, name="placement_start_bulk"),
    path("start/occupations/", placements.occupation_options, name="occupation_options"),
    path("bulk-move/", placements.placement_bulk_move, name="placement_bulk_move"),
    path("<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("<int:pk>/move/", placements.placement_move, name="placement_move"),
    path("<int:pk>/edit/", placements.placement_edit, name="placement_edit"),
    path("<int:pk>/return/", placements.placement_return, name="placement_return"),
    path("<int:pk>/language/", placements.placement_language, name="placement_language"),
    path("<int:pk>/enrol/", placements.placement_enrol, name="placement_enrol"),
    path("next-season/", season.next_season, name="next_season"),
    path("next-season/<int:pk>/invite/", season.next_season_invite, name="next_season_invite"),
    path("next-season/invite/", season.next_season_invite_bulk, name="next_season_invite_bulk"),
    path("reminders/", reminders.reminders, name="reminders"),
    # Training
    path("training/", training.training_list, name="training_list"),
    path("training/new/", training.batch_create, name="batch_create"),
    path("training/providers/", training.provider_list, name="provider_list"),
    path("training/providers/new/", training.provider_create, name="provider_create"),
    path("training/providers/<int:pk>/edit/", training.provider_edit, name="provider_edit"),
    path("training/<int:pk>/", training.training_detail, name="training_detail"),
    path("training/<int:pk>/edit/", training.batch_edit, name="batch_edit"),
    path("training/<int:pk>/enrol/", training.batch_enrol, name="batch_enrol"),
    path("training/<int:pk>/results/", training.batch_results, name="batch_results"),
    path("training/<int:pk>/roster/", training.training_roster, name="training_roster"),
    # Cohorts
    path("cohorts/", cohorts.cohort_list, name="cohort_list"),
    path("cohorts/new/", cohorts.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", cohorts.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/add/", cohorts.cohort_add, name="cohort_add"),
    path("cohorts/<int:pk>/remove/<int:placement_pk>/", cohorts.cohort_remove, name="cohort_remove"),
    path("cohorts/<int:pk>/depart/", cohorts.cohort_depart, name="cohort_depart"),
    path("cohorts/<int:pk>/arrive/", cohorts.cohort_arrive, name="cohort_arrive"),
    path("cohorts/<int:pk>/manifest.xlsx", cohorts.cohort_manifest, name="cohort_manifest"),
    path("cohorts/<int:pk>/siskop2mi.<str:fmt>", cohorts.cohort_national_export, name="cohort_national_export"),
    path("cohorts/<int:pk>/confirmations/", cohorts.cohort_confirmations, name="cohort_confirmations"),
    path(
        "cohorts/<int:pk>/confirmations/commit/",
        cohorts.cohort_confirmations_commit,
        name="cohort_confirmations_commit",
    ),
]
