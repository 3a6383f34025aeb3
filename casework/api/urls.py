from django.urls import path

from integration.urls import urlpatterns as integration_urls
from notifications import api as inbox

from . import calendar_years, cases, notices, provisioning, registry, supervision, tasks, workflows

app_name = "api"
urlpatterns = [
    path("departments/", provisioning.DepartmentListApi.as_view(), name="department-list"),
    path("users/", provisioning.UserCreateApi.as_view(), name="user-create"),
    path("subjects/", registry.SubjectListApi.as_view(), name="subject-list"),
    path("records/", registry.RecordListApi.as_view(), name="record-list"),
    path("records/<uuid:public_id>/", registry.RecordDetailApi.as_view(), name="record-detail"),
    path("sanctions/", registry.SanctionListApi.as_view(), name="sanction-list"),
    path("sanctions/<uuid:public_id>/", registry.SanctionDetailApi.as_view(), name="sanction-detail"),
    path("cases/", cases.CaseListApi.as_view(), name="case-list"),
    path("cases/<str:number>/", cases.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:number>/supplement/", cases.CaseSupplementApi.as_view(), name="case-supplement"),
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
    path("tasks/<uuid:public_id>/extend/", tasks.TaskExtendApi.as_view(), name="task-extend"),
    path("tasks/<uuid:public_id>/reassign/", tasks.TaskReassignApi.as_view(), name="task-reassign"),
    path("supervision/overdue/", supervision.OverdueBoardApi.as_view(), name="supervision-overdue"),
    path(
        "supervision/provisional-dates/",
        supervision.ProvisionalDatesApi.as_view(),
        name="supervision-provisional",
    ),
    path("calendar-years/", calendar_years.CalendarYearListApi.as_view(), name="calendar-year-list"),
    path(
        "calendar-years/<int:year>/",
        calendar_years.CalendarYearDetailApi.as_view(),
        name="calendar-year-detail",
    ),
    path("inbox/", inbox.InboxApi.as_view(), name="inbox"),
    path("inbox/read-all/", inbox.InboxReadAllApi.as_view(), name="inbox-read-all"),
    path("inbox/<uuid:public_id>/read/", inbox.InboxReadApi.as_view(), name="inbox-read"),
]
urlpatterns += integration_urls  # push endpoints, deliveries, feedback, imports (issue 6)
