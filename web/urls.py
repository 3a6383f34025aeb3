"""URL namespaces of the three faces: `portal`, `workspace`, `supervision` (kebab-case names)."""

from django.urls import path

from . import dashboards, imports, portal, publicity, reporting, reports, supervision, workspace

portal_urls = (
    [
        path("", portal.home, name="home"),
        path("cases/", portal.case_list, name="case-list"),
        path("file/<slug:kind_slug>/", portal.case_new, name="case-new"),
        path("cases/<str:number>/", portal.case_detail, name="case-detail"),
        path("cases/<str:number>/supplement/", portal.case_supplement_view, name="case-supplement"),
        path("cases/<str:number>/review/", portal.case_review_view, name="case-review"),
        path("publicity/", publicity.publicity_search, name="publicity-search"),
        path("publicity/<str:number>/object/", publicity.publicity_objection, name="publicity-objection"),
    ],
    "portal",
)

workspace_urls = (
    [
        path("", workspace.queue, name="queue"),
        path("bulk-claim/", workspace.bulk_claim, name="bulk-claim"),
        path("tasks/<uuid:public_id>/", workspace.task_detail, name="task-detail"),
        path("tasks/<uuid:public_id>/claim/", workspace.claim, name="task-claim"),
        path("tasks/<uuid:public_id>/unclaim/", workspace.unclaim, name="task-unclaim"),
        path("tasks/<uuid:public_id>/decide/", workspace.decide, name="task-decide"),
        path("tasks/<uuid:public_id>/reassign/", workspace.reassign, name="task-reassign"),
        path("imports/", imports.import_list, name="imports"),
        path("imports/template.csv", imports.import_template, name="import-template"),
        path("imports/format/", imports.import_format, name="import-format"),
        path("imports/<uuid:public_id>/", imports.import_detail, name="import-detail"),
    ],
    "workspace",
)

supervision_urls = (
    [
        path("", supervision.overdue, name="overdue"),
        path("tasks/<uuid:public_id>/reassign/", supervision.task_reassign_view, name="task-reassign"),
        path("tasks/<uuid:public_id>/extend/", supervision.task_extend_view, name="task-extend"),
        path("cases/", supervision.case_list, name="case-list"),
        path("cases/<str:number>/", supervision.case_detail, name="case-detail"),
        path("cases/<str:number>/verify/", supervision.case_verify, name="case-verify"),
        path("subjects/", supervision.subject_list, name="subject-list"),
        path("subjects/<uuid:public_id>/", supervision.dossier, name="dossier"),
        path("subjects/<uuid:public_id>/entries/", supervision.dossier_add, name="dossier-add"),
        path("dashboard/", dashboards.dashboard, name="dashboard"),
        path("reports/monthly/", reports.monthly_report, name="monthly-report"),
        path("reports/submissions/", reporting.monthly_submissions, name="monthly-submissions"),
    ],
    "supervision",
)
