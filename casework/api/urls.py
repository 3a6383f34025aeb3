"""The casework part of REST API v1. config/urls.py mounts it under `/api/v1/` in the `api` namespace, together
with the integration and inbox endpoints (casework imports neither app)."""

from django.urls import path

from . import (
    calendar_years,
    cases,
    in_force,
    notices,
    provisioning,
    registry,
    reporting,
    reviews,
    supervision,
    task_oversight,
    tasks,
    workflows,
)

urlpatterns = [
    path("departments/", provisioning.DepartmentListApi.as_view(), name="department-list"),
    path("users/", provisioning.UserCreateApi.as_view(), name="user-create"),
    path("subjects/", registry.SubjectListApi.as_view(), name="subject-list"),
    path(
        "subjects/<uuid:public_id>/sanctions/",
        in_force.SubjectSanctionsApi.as_view(),
        name="subject-sanctions",
    ),
    path("records/", registry.RecordListApi.as_view(), name="record-list"),
    path("records/<uuid:public_id>/", registry.RecordDetailApi.as_view(), name="record-detail"),
    path("sanctions/", registry.SanctionListApi.as_view(), name="sanction-list"),
    path("sanctions/<uuid:public_id>/", registry.SanctionDetailApi.as_view(), name="sanction-detail"),
    path("cases/", cases.CaseListApi.as_view(), name="case-list"),
    path("cases/<str:number>/", cases.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:number>/supplement/", cases.CaseSupplementApi.as_view(), name="case-supplement"),
    path("cases/<str:number>/review/", reviews.CaseReviewApi.as_view(), name="case-review"),
    path(
        "cases/<str:number>/publicity-objections/",
        workflows.PublicityObjectionApi.as_view(),
        name="case-publicity-objections",
    ),
    path("cases/<str:number>/notices/", notices.CaseNoticeListApi.as_view(), name="case-notice-list"),
    path(
        "cases/<str:number>/notices/<uuid:public_id>.pdf",
        notices.CaseNoticePdfApi.as_view(),
        name="case-notice-pdf",
    ),
    path("cases/<str:number>/diagram.svg", notices.CaseDiagramApi.as_view(), name="case-diagram"),
    path(
        "cases/<str:number>/completion-report/",
        workflows.CompletionReportApi.as_view(),
        name="case-completion-report",
    ),
    path("tasks/", tasks.TaskQueueApi.as_view(), name="task-list"),
    path("tasks/<uuid:public_id>/", tasks.TaskDetailApi.as_view(), name="task-detail"),
    path("tasks/<uuid:public_id>/claim/", tasks.TaskClaimApi.as_view(), name="task-claim"),
    path("tasks/<uuid:public_id>/unclaim/", tasks.TaskUnclaimApi.as_view(), name="task-unclaim"),
    path("tasks/<uuid:public_id>/complete/", tasks.TaskCompleteApi.as_view(), name="task-complete"),
    path("tasks/<uuid:public_id>/extend/", task_oversight.TaskExtendApi.as_view(), name="task-extend"),
    path("tasks/<uuid:public_id>/reassign/", task_oversight.TaskReassignApi.as_view(), name="task-reassign"),
    path("supervision/overdue/", supervision.OverdueBoardApi.as_view(), name="supervision-overdue"),
    path(
        "supervision/provisional-dates/",
        supervision.ProvisionalDatesApi.as_view(),
        name="supervision-provisional",
    ),
    path("monthly-submissions/", reporting.MonthlySubmissionApi.as_view(), name="monthly-submission-list"),
    path(
        "supervision/monthly-submissions/",
        reporting.MonthlySubmissionStandingApi.as_view(),
        name="supervision-monthly-submissions",
    ),
    path("calendar-years/", calendar_years.CalendarYearListApi.as_view(), name="calendar-year-list"),
    path(
        "calendar-years/<int:year>/",
        calendar_years.CalendarYearDetailApi.as_view(),
        name="calendar-year-detail",
    ),
]
