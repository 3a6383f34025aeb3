"""The demo district that `manage.py demo` builds, one module per case kind (see `casework.management.demo_data`).

`base` holds the district itself (departments, subjects, users) and the spec types; `objection`, `repair`,
`list_exit` and `bankruptcy` hold each kind's records and scenarios; `runner` drives a scenario through the
services exactly as the API does.
"""
