"""Issue 14, portal uploads in the browser: files survive a validation error ("已上传：name (size) — 移除"),
the upload shows real progress (XMLHttpRequest upload events), sizes and types are checked before anything
is sent with the server's limits, the submit button is disabled while sending, and without JavaScript the
form still works.
"""

import pytest
from playwright.sync_api import expect

from casework.models import Case
from tests.web_world import PDF
from tests.world import build_world

from .conftest import WIDTHS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

widths = pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
PROOF = {"name": "撤销决定书.pdf", "mimeType": "application/pdf", "buffer": PDF}
NEW = "/portal/file/objection/"


def choose_record(page) -> None:
    page.get_by_test_id("choices-records").locator("input[type=checkbox]").first.check()


@widths
def test_a_file_survives_a_validation_error_and_is_filed(pages, admin_api, width):
    build_world(admin_api)
    subject = pages.sign_in("subject", width=width)
    subject.goto(NEW)
    choose_record(subject)
    subject.set_input_files("#id_materials", files=[PROOF])
    subject.check("#id_commitment_signed")
    subject.click("button[type=submit]")  # no statement: refused
    kept = subject.get_by_test_id("kept-materials")
    expect(kept).to_contain_text("已上传：撤销决定书.pdf（")
    expect(kept.get_by_role("button", name="移除")).to_be_visible()
    pages.audit(subject)

    subject.fill("#id_statement", "该处罚决定已被撤销。")
    subject.check("#id_commitment_signed")
    subject.click("button[type=submit]")
    case = Case.objects.get()
    expect(subject).to_have_url(f"{pages.base_url}/portal/cases/{case.number}/")
    assert case.materials.get().original_name == "撤销决定书.pdf"
    pages.audit(subject)


def test_remove_leaves_a_kept_file_out(pages, admin_api):
    build_world(admin_api)
    subject = pages.sign_in("subject", locale="en-US")
    subject.goto(NEW)
    choose_record(subject)
    subject.set_input_files("#id_materials", files=[PROOF])
    subject.click("button[type=submit]")  # no statement, no commitment: refused
    kept = subject.get_by_test_id("kept-materials")
    expect(kept).to_contain_text("Uploaded: 撤销决定书.pdf (")
    kept.get_by_role("button", name="Remove").click()
    expect(kept.locator("li")).to_have_count(0)
    subject.fill("#id_statement", "The decision was revoked.")
    subject.check("#id_commitment_signed")
    subject.click("button[type=submit]")
    expect(subject.get_by_text("was filed")).to_be_visible()
    assert not Case.objects.get().materials.exists()


def test_the_upload_reports_real_progress_with_the_button_disabled(pages, admin_api):
    build_world(admin_api)
    subject = pages.sign_in("subject")
    subject.goto(NEW)
    choose_record(subject)
    subject.fill("#id_statement", "该处罚决定已被撤销。")
    subject.check("#id_commitment_signed")
    big = PDF + b"%" + b"0" * (2 * 1024 * 1024)  # 2 MiB: several progress events
    subject.set_input_files("#id_materials", files=[{**PROOF, "buffer": big}])
    kinds = []
    subject.on("request", lambda r: kinds.append(r.resource_type) if r.method == "POST" else None)
    # Chromium's network emulation slows the upload to ~1 MiB/s, so the page is seen mid-upload.
    cdp = subject.context.new_cdp_session(subject)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 1024 * 1024},
    )
    subject.click("button[type=submit]")
    mid_upload = """() => {
      const form = document.querySelector('form.guided');
      const percent = Number(form && form.dataset.uploadedPercent);
      return percent > 0 && percent < 100 && {
        percent, bar: document.querySelector('[data-testid=upload-progress] progress').value,
        status: document.querySelector('[data-testid=upload-progress]').textContent,
        disabled: form.querySelector('button[type=submit]').disabled };
    }"""
    # Asked through DevTools in a loop (wait_for_function would evaluate a string, which the CSP refuses).
    seen = next(filter(None, (subject.evaluate(mid_upload) for _ in range(5000))), None)
    assert seen, "no progress between 0 and 100 % was shown"
    assert seen["bar"] == seen["percent"] and f"{seen['percent']} %" in seen["status"]
    assert seen["disabled"] is True  # one submission per click
    expect(subject.locator("p.success")).to_contain_text("已提交")
    assert kinds == ["xhr"]
    assert Case.objects.get().materials.get().size == len(big)


@pytest.mark.parametrize(
    ("name", "buffer", "message"),
    [
        ("big.pdf", PDF + b"0" * 2048, "超过"),
        ("setup.exe", b"MZ" + b"0" * 64, "不是 PDF、JPG 或 PNG 文件"),
        ("empty.pdf", b"", "空文件"),
    ],
    ids=["over-the-limit", "wrong-type", "empty"],
)
def test_size_and_type_are_checked_before_anything_is_sent(pages, admin_api, settings, name, buffer, message):
    settings.CASEWORK_UPLOAD_MAX_BYTES = 1024  # the page's limit is the server's
    build_world(admin_api)
    subject = pages.sign_in("subject")
    subject.goto(NEW)
    posts = []
    subject.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    subject.set_input_files("#id_materials", files=[{"name": name, "mimeType": "", "buffer": buffer}])
    note = subject.locator("#id_materials ~ p.error[role=alert]")
    expect(note).to_contain_text(message)
    assert subject.evaluate("document.querySelector('#id_materials').files.length") == 0
    assert posts == []
    pages.audit(subject)


def test_without_javascript_the_form_still_files_and_keeps_files(browser, live_server, admin_api):
    build_world(admin_api)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/")
        page.fill("#id_username", "subject")
        page.fill("#id_password", "a-long-password-1")
        page.click("button[type=submit]")
        page.goto(NEW)
        choose_record(page)
        page.set_input_files("#id_materials", files=[PROOF])
        page.click("button[type=submit]")  # refused: no statement, no commitment
        kept = page.get_by_test_id("kept-materials")
        expect(kept.locator("input[type=checkbox]")).to_be_checked()  # untick to remove, without JS
        page.fill("#id_statement", "该处罚决定已被撤销。")
        page.check("#id_commitment_signed")
        page.click("button[type=submit]")
        expect(page.locator("p.success")).to_contain_text("已提交")
        assert Case.objects.get().materials.get().original_name == "撤销决定书.pdf"
    finally:
        context.close()
