"""WCAG 2.2 AA on every page: axe-core (a test dependency in tests/browser/vendor/, never served) runs
on every page of the URLconf for every role in both languages and must report no violation; and no
page is wider than a 390 px phone.

The pages come from the URLconf (as tests/test_url_walker.py walks it): a new URL with arguments must
get a sample below or a reason in NOT_PAGES, else test_every_url_is_walked_or_has_a_reason fails."""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import login
from tests.dashboards.dataset import data  # noqa: F401 - the hand-built data set of tests/dashboards
from tests.test_url_walker import ALL_URLS

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE_WIDTH = 390

# URL names that are not pages a person reads, with the reason.
NOT_PAGES = {
    "accounts:logout": "POST only",
    "set_language": "POST only",
    "healthz": "JSON for the load balancer",
    "candidates:candidate_export": "a file download",
    "candidates:candidate_export_start": "POST only (starts a job)",
    "candidates:candidate_import_template": "a file download",
    "candidates:candidate_import_preview": "reached by uploading a file: _audit_import_preview",
    "candidates:candidate_import_cancel": "POST only",
    "candidates:candidate_import_commit": "POST only",
    "candidates:document_download": "a file download",
    "candidates:document_verify": "POST only",
    "candidates:consent_withdraw": "POST only",
    "candidates:kelurahan_options": "an htmx fragment of the candidate form (audited there)",
    "programmes:agreement_document": "a file download",
    "programmes:agreement_move": "POST only (the move form is on the agreement's page)",
    "jobs:user_job_download": "a file download",
    "messaging:candidate_section": "an htmx fragment of the candidate page (audited there)",
    "messaging:template_preview": "an htmx fragment of the send page (audited there)",
    "messaging:consent_withdraw": "POST only",
    "messaging:delivery_report": "the SMS/WhatsApp provider's callback",
    "placements:placement_move": "POST only",
    "placements:placement_bulk_move": "POST only",
    "placements:placement_start_bulk": "POST only",
    "placements:cohort_add": "POST only",
    "placements:cohort_remove": "POST only",
    "placements:cohort_depart": "POST only",
    "placements:cohort_arrive": "POST only",
    "placements:cohort_confirmations_commit": "POST only",
    "placements:cohort_manifest": "a file download",
    "placements:cohort_national_export": "a file download",
    "placements:next_season_invite": "POST only",
    "protection:case_document_download": "a file download",
    "protection:hold_lift": "POST only",
    "protection:case_action": "POST only",
    "protection:case_escalate": "POST only",
    "protection:case_resolve": "POST only",
    "protection:case_close": "POST only",
    "protection:case_document_add": "POST only",
    "protection:contact_record_save": "POST only",
    "accounts:saved_filter_save": "POST only",
    "accounts:saved_filter_delete": "POST only",
    "candidates:nik_decode": "POST only (an htmx fragment of the candidate form)",
    "candidates:transfer_accept": "POST only (the form is on the transfer's page)",
    "candidates:transfer_refuse": "POST only (the form is on the transfer's page)",
    "candidates:transfer_cancel": "POST only (the form is on the transfer's page)",
    "placements:placement_enrol": "POST only (the form is on the placement's page)",
    "placements:next_season_invite_bulk": "POST only",
    "placements:occupation_options": "an htmx fragment of the start form (audited there)",
    "privacy:request_answer": "POST only (the form is on the request's page)",
    "privacy:request_report_xlsx": "a file download",
    "privacy:breach_notified": "POST only (the button is on the breach's page)",
    "scholarships:round_action": "POST only (the buttons are on the round's page)",
    "scholarships:round_reviewers": "POST only (the form is on the round's page)",
    "scholarships:results_xlsx": "a file download",
    "scholarships:application_move": "POST only (the form is on the application's page)",
    "scholarships:application_score": "POST only (the form is on the application's page)",
    "scholarships:application_conflict": "POST only (the form is on the application's page)",
    "scholarships:semester_report": "POST only (the form is on the application's page)",
    "scholarships:commitment": "POST only (the form is on the application's page)",
}


@dataclass
class Site:
    data: object
    candidate: object
    placement: object
    abroad: object
    returned: object
    agreement: object
    partner: object
    batch: object
    provider: object
    cohort: object
    case: object
    broadcast: object
    consent: object
    job: object
    transfer: object
    data_request: object
    breach: object
    scholarship_round: object
    open_round: object
    application: object


# The arguments of each page with arguments, from the data set.
SAMPLES = {
    "candidates:candidate_detail": lambda s: {"pk": s.candidate.pk},
    "candidates:candidate_edit": lambda s: {"pk": s.candidate.pk},
    "candidates:candidate_data_report": lambda s: {"pk": s.candidate.pk},
    "candidates:document_create": lambda s: {"pk": s.candidate.pk},
    "candidates:consent_record": lambda s: {"pk": s.candidate.pk},
    "programmes:agreement_detail": lambda s: {"pk": s.agreement.pk},
    "programmes:agreement_edit": lambda s: {"pk": s.agreement.pk},
    "programmes:partner_edit": lambda s: {"pk": s.partner.pk},
    "programme_detail": lambda s: {"pk": s.data.programme.pk},
    "programme_shortlist": lambda s: {"pk": s.data.programme.pk},
    "programmes:programme_edit": lambda s: {"pk": s.data.programme.pk},
    "jobs:user_job_detail": lambda s: {"pk": s.job.pk},
    "messaging:broadcast_detail": lambda s: {"pk": s.broadcast.pk},
    "messaging:consent_give": lambda s: {"pk": s.candidate.pk},
    "placements:placement_detail": lambda s: {"pk": s.placement.pk},
    "placements:placement_edit": lambda s: {"pk": s.placement.pk},
    "placements:placement_language": lambda s: {"pk": s.placement.pk},
    "placements:placement_return": lambda s: {"pk": s.abroad.pk},
    "placements:cohort_detail": lambda s: {"pk": s.data.cohort.pk},
    "placements:cohort_edit": lambda s: {"pk": s.data.cohort.pk},
    "placements:cohort_confirmations": lambda s: {"pk": s.cohort.pk},
    "placements:training_detail": lambda s: {"pk": s.batch.pk},
    "placements:batch_edit": lambda s: {"pk": s.batch.pk},
    "placements:batch_enrol": lambda s: {"pk": s.batch.pk},
    "placements:batch_results": lambda s: {"pk": s.batch.pk},
    "placements:training_roster": lambda s: {"pk": s.batch.pk},
    "placements:provider_edit": lambda s: {"pk": s.provider.pk},
    "protection:case_detail": lambda s: {"pk": s.case.pk},
    "protection:case_print": lambda s: {"pk": s.case.pk},
    "protection:cohort_contacts": lambda s: {"pk": s.cohort.pk},
    "protection:placement": lambda s: {"pk": s.abroad.pk},
    "protection:case_create": lambda s: {"pk": s.abroad.pk},
    "protection:contact_create": lambda s: {"pk": s.abroad.pk},
    "protection:debrief": lambda s: {"pk": s.returned.pk},
    "protection:follow_up": lambda s: {"pk": s.returned.pk, "month": 1},
    "protection:programme_summary": lambda s: {"pk": s.abroad.programme_id},
    "candidates:transfer_detail": lambda s: {"pk": s.transfer.pk},
    "privacy:request_create": lambda s: {"candidate_pk": s.candidate.pk},
    "privacy:request_detail": lambda s: {"pk": s.data_request.pk},
    "privacy:breach_detail": lambda s: {"pk": s.breach.pk},
    "privacy:breach_letter_authority": lambda s: {"pk": s.breach.pk},
    "privacy:breach_letter_person": lambda s: {"pk": s.breach.pk, "candidate_pk": s.candidate.pk},
    "scholarships:round_detail": lambda s: {"pk": s.scholarship_round.pk},
    "scholarships:announcement": lambda s: {"pk": s.scholarship_round.pk},
    "scholarships:application_detail": lambda s: {"pk": s.application.pk},
    "scholarships:application_register": lambda s: {"pk": s.open_round.pk},
}

# Pages in Bahasa Indonesia whatever the user's language (the letters sent out): lang="id" on both walks.
INDONESIAN_ONLY = ["privacy:breach_letter_person", "privacy:breach_letter_authority"]

# Pages reached with a query string too: the board of one programme is another page than the list.
EXTRA_PAGES = [
    lambda s: reverse("placements:placement_list") + f"?programme={s.data.programme.pk}",
    lambda s: reverse("candidates:candidate_list") + "?q=zzz-nobody",  # an empty result
    lambda s: reverse("scholarships:round_detail", kwargs={"pk": s.open_round.pk}),  # open, being scored
]


def _pages():
    names = []
    for name, pattern in ALL_URLS:
        if pattern.startswith(("admin/", "api/", "static/")) or name in NOT_PAGES:
            continue
        names.append((name, pattern))
    return names


def test_every_url_is_walked_or_has_a_reason():
    """A new page with arguments needs a sample in SAMPLES (or a reason in NOT_PAGES)."""
    pages = _pages()
    assert len(pages) > 50
    missing = [name for name, pattern in pages if "<" in pattern and name not in SAMPLES]
    assert missing == [], f"add these to SAMPLES or NOT_PAGES in {__file__}: {missing}"
    known = {name for name, _ in ALL_URLS}
    assert set(SAMPLES) <= known and set(NOT_PAGES) <= known, "SAMPLES / NOT_PAGES name URLs that are gone"


def test_axe_core_is_never_served():
    from django.contrib.staticfiles import finders

    served = [path for finder in finders.get_finders() for path, _storage in finder.list([]) if "axe" in path.lower()]
    assert AXE.exists() and served == []


@pytest.fixture
def site(data, serang, serang_staff, serang_official, serang_dpo, blitar_staff):  # noqa: F811
    from candidates.models import Document
    from candidates.transfers import transfer_request
    from jobs.services import user_job_start
    from messaging.services import broadcast_create
    from privacy.models import DataRequest
    from privacy.services import breach_create, data_request_create
    from protection.models import Case, ProgrammeHold
    from protection.services import case_open
    from scholarships import services as scholarships
    from tests.factories import (
        CandidateFactory,
        DocumentFactory,
        LanguageResultFactory,
        PartnerFactory,
        SelectionRoundFactory,
        application_data,
        consent,
        ready_template,
        scholarship_applicant,
    )
    from tests.jobs.tasks import count_to
    from tests.protection.conftest import abroad_placement

    placement = data.placements[4]  # ready, with an enrolment
    candidate = placement.candidate
    DocumentFactory(candidate=candidate, doc_type="ktp", verified_at=timezone.now(), verified_by=serang_staff)
    DocumentFactory(candidate=candidate, doc_type=Document._meta.get_field("doc_type").choices[1][0])
    LanguageResultFactory(candidate=candidate)
    whatsapp = consent(candidate, "whatsapp", serang_staff)
    abroad = abroad_placement(municipality=serang, programme=data.programme)
    returned = abroad_placement(
        municipality=serang,
        programme=data.programme,
        days_ago=400,
        stage="returned",
        returned_on=data.today - timedelta(days=40),
    )
    case = case_open(
        user=serang_staff,
        placement=abroad,
        case_type=Case.Type.ILLNESS,
        severity=Case.Severity.HIGH,
        reported_by=Case.Reporter.FAMILY,
        reported_at=timezone.now() - timedelta(hours=2),
        summary="Dirawat di rumah sakit",
        description="Infeksi ginjal.",
    )
    ProgrammeHold.objects.create(
        programme=data.programme, held_on=data.today, reason="Penundaan", source="Surat mitra", recorded_by=serang_staff
    )
    batch = placement.enrolments.first().batch
    broadcast = broadcast_create(
        user=serang_staff,
        template=ready_template(),
        source="batch",
        source_query={"batch": batch.pk},
        label=batch.name,
    )
    job = user_job_start(user=serang_staff, kind="count", label="Hitung", job=count_to, n=3)
    agreement = data.programme.agreement
    transfer = transfer_request(
        user=blitar_staff, nik=CandidateFactory(municipality=serang).nik, reason="Pindah ke Kota Blitar."
    )
    data_request = data_request_create(
        user=serang_dpo,
        candidate=candidate,
        data={
            "kind": DataRequest.Kind.ACCESS,
            "received_at": timezone.now() - timedelta(hours=3),
            "channel": DataRequest.Channel.COUNTER,
            "identity_checked_by": serang_dpo,
            "identity_check": "KTP ditunjukkan di loket",
            "details": "",
        },
    )
    found = timezone.now() - timedelta(hours=20)
    breach = breach_create(
        user=serang_dpo,
        data={
            "title": "Daftar peserta terkirim ke grup yang salah",
            "categories": ["identity", "contact"],
            "occurred_at": found - timedelta(hours=5),
            "discovered_at": found,
            "how": "Berkas terkirim ke grup WhatsApp yang salah",
            "measures": "Pesan dihapus",
        },
        affected=[candidate, CandidateFactory(municipality=serang)],
    )
    scholarship_round, applications = _published_round(serang_staff, serang_official)
    open_round = SelectionRoundFactory(programme=scholarship_round.programme, name="Seleksi beasiswa terbuka")
    scholarships.application_register(
        user=serang_staff,
        selection_round=open_round,
        candidate=scholarship_applicant(municipality=serang),
        data=application_data(),
    )
    return Site(
        data=data,
        candidate=candidate,
        placement=placement,
        abroad=abroad,
        returned=returned,
        agreement=agreement,
        partner=PartnerFactory(municipality=serang, name="Changnyeong-gun"),
        batch=batch,
        provider=batch.provider,
        cohort=abroad.cohort,
        case=case,
        broadcast=broadcast,
        consent=whatsapp,
        job=job,
        transfer=transfer,
        data_request=data_request,
        breach=breach,
        scholarship_round=scholarship_round,
        open_round=open_round,
        application=applications[0],
    )


def _published_round(staff, official):
    """A scholarship round scored, approved and published (as tests/scholarships take one through)."""
    from scholarships import services as scholarships
    from tests.factories import SelectionRoundFactory
    from tests.scholarships.conftest import register, score_all, to_interviewed

    round_ = SelectionRoundFactory(name="Seleksi beasiswa 2026")
    applications = [register(round_, staff, school=f"SMAN {i} Serang") for i in range(1, 4)]
    to_interviewed(round_, staff, applications)
    scholarships.round_set_reviewers(user=staff, selection_round=round_, reviewers=[staff])
    for i, application in enumerate(applications):
        score_all(staff, application, 90 - i, 50)
    scholarships.round_approve(user=official, selection_round=round_)
    scholarships.round_publish(user=staff, selection_round=round_)
    return round_, applications


def _urls(site) -> list[str]:
    urls = []
    for name, _pattern in _pages():
        kwargs = SAMPLES[name](site) if name in SAMPLES else {}
        urls.append(reverse(name, kwargs=kwargs))
    return urls + [extra(site) for extra in EXTRA_PAGES]


def _axe(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                rules: {'empty-table-header': {enabled: true}},  // a best practice the issue asks for
                resultTypes: ['violations'],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )


# axe-core only asks for a review when aria-describedby names no element; a hint a screen reader never
# reads is a failure here.
DANGLING_REFERENCES = """() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby], label[for]')]
    .flatMap(el => ['aria-describedby', 'aria-labelledby', 'for'].flatMap(attr =>
        (el.getAttribute(attr) || '').split(/\\s+/).filter(id => id && !document.getElementById(id))
            .map(id => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${attr}=${id}`)))"""


def _describe(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url}: {v['id']} ({v['impact']}) {v['help']}; {len(v['nodes'])} element(s)")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


# The page's width at a phone's 390 px, and the outermost elements that stick out (to say what to fix).
PHONE_OVERFLOW = """async (width) => {
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].slice(0, 3).map(c => '.' + c).join('');
    const scrolls = el => el && el !== document.body && (
        ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX) || scrolls(el.parentElement));
    const out = [...document.body.querySelectorAll('*')].filter(el => {
        // (an absolutely placed element escapes a scrolling box that is not its containing block)
        if (scrolls(el.parentElement) && getComputedStyle(el).position !== 'absolute') return false;
        const box = el.getBoundingClientRect();
        const parent = el.parentElement.getBoundingClientRect();
        return box.right > width + 1 && parent.right <= width + 1;
    }).slice(0, 3).map(el => `${name(el)} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return [document.documentElement.scrollWidth, out];
}"""


def _width_at_phone(page) -> tuple[int, list[str]]:
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    try:
        return page.evaluate(PHONE_OVERFLOW, PHONE_WIDTH)
    finally:
        page.set_viewport_size({"width": 1366, "height": 900})


ROLES = ["serang_staff", "serang_official", "serang_admin", "serang_dpo", "national_viewer", "superuser"]
LANGUAGES = ["id", "en"]


def _goto(page, url: str):
    """Open a page once the previous one has settled; a navigation the previous page started itself
    (a form submitted on change, a redirect after a background job) may cut the first try short:
    then the page is opened again, so every page is audited."""
    page.wait_for_load_state("load")
    try:
        return page.goto(page.base_url + url)
    except PlaywrightError as error:
        if "interrupted by another navigation" not in str(error):
            raise
        page.wait_for_load_state("load")
        return page.goto(page.base_url + url)


def _switch_language(page, language: str) -> None:
    """The header's language buttons, as a person switches (the choice then holds for every page)."""
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.click(f"button[name=language][value={language}]")
    assert page.locator("html").get_attribute("lang") == language


def _audit(page, url: str, language: str, problems: list, too_wide: list) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")  # parts loaded by htmx
    assert page.locator("html").get_attribute("lang") == language, url
    problems.append(_describe(f"{url} [{language}]", _axe(page)))
    problems += [f"{url} [{language}]: {dangling} names no element" for dangling in page.evaluate(DANGLING_REFERENCES)]
    width, sticking_out = _width_at_phone(page)
    if width > PHONE_WIDTH:
        too_wide.append(f"{url} [{language}]: {width} px, {', '.join(sticking_out)}")


def _audit_import_preview(page, language: str, problems: list, too_wide: list) -> None:
    """The import preview exists only for a file this session uploaded: one good row, one bad."""
    from core.models import Municipality
    from tests.factories import make_nik

    template = page.request.get(page.base_url + reverse("candidates:candidate_import_template", args=["csv"]))
    headers = template.text().lstrip("\ufeff").splitlines()[0].split(",")
    values = {"nama_lengkap": "Ahmad Fauzi", "jenis_kelamin": "L", "tanggal_lahir": "1996-03-09"}
    values |= {"tempat_lahir": "Serang", "kecamatan": "36.73.01", "kelurahan": "36.73.01.1001", "pendidikan": "SMA"}
    good = {**values, "nik": make_nik(Municipality.objects.get(code="36.73"), date(1996, 3, 9), "M", serial=101)}
    bad = {**values, "nik": "36730109059", "nama_lengkap": "Joko Susilo"}
    rows = [",".join(headers)] + [",".join(row.get(header, "") for header in headers) for row in (good, bad)]
    page.goto(page.base_url + reverse("candidates:candidate_import"))
    page.set_input_files("#id_file", {"name": "a.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()})
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    assert "/candidates/import/" in page.url and page.url.rstrip("/") != page.base_url + "/candidates/import"
    _audit(page, "/candidates/import/<token>/", language, problems, too_wide)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_no_violation_on_any_page(page, request, site, role, private_storage):
    """One browser session per role walks every page in Bahasa Indonesia, then in English."""
    user = request.getfixturevalue(role)
    problems, too_wide, statuses = [], [], {}
    page.goto(page.base_url + "/accounts/login/")
    for language in LANGUAGES:
        _switch_language(page, language)
        _audit(page, "/accounts/login/", language, problems, too_wide)
    _switch_language(page, LANGUAGES[0])
    login(page, user.username)

    urls = _urls(site)
    indonesian_only = {reverse(name, kwargs=SAMPLES[name](site)) for name in INDONESIAN_ONLY}
    for language in LANGUAGES:
        page.goto(page.base_url + "/")
        _switch_language(page, language)
        audited = 0
        for url in urls:
            try:
                response = _goto(page, url)
            except PlaywrightError as error:  # an empty answer (a 405 without a body)
                statuses.setdefault(str(error).split()[1], set()).add(url)
                continue
            statuses.setdefault(response.status, set()).add(url)
            if response.status != 200:
                continue  # not this role's page (403/404) or a POST-only address: error pages are audited below
            assert "text/html" in response.headers.get("content-type", ""), f"{url} is no page: add it to NOT_PAGES"
            _audit(page, url, "id" if url in indonesian_only else language, problems, too_wide)
            audited += 1
        assert audited >= 20, f"only {audited} pages answered: {statuses}"
        if user.municipality_id and reverse("candidates:candidate_import") in statuses[200]:
            _audit_import_preview(page, language, problems, too_wide)

    problems = [p for p in problems if p]
    assert problems == [], f"axe-core {AXE_VERSION} ({role}):\n" + "\n".join(problems)
    assert too_wide == [], f"wider than {PHONE_WIDTH} px ({role}): {too_wide}"
    # (403/404/405 are the other roles' pages and the POST-only addresses walked on purpose)
    script_errors = [e for e in page.console_errors if not e.startswith(("403 ", "404 ", "405 ", "Failed to load"))]
    assert script_errors == []


ERROR_PAGES = {403: "/national/", 404: "/no-such-page/"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_on_the_error_pages(page, serang_staff, language):
    login(page, serang_staff.username)
    _switch_language(page, language)
    problems = []
    for status, url in ERROR_PAGES.items():
        response = page.goto(page.base_url + url)
        assert response.status == status
        assert page.locator("html").get_attribute("lang") == language, url
        problems.append(_describe(url, _axe(page)))
        width, sticking_out = _width_at_phone(page)
        assert width <= PHONE_WIDTH, f"{url}: {width} px, {sticking_out}"
    assert [p for p in problems if p] == [], f"axe-core {AXE_VERSION} ({language}):\n" + "\n".join(problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_tab_offers_the_skip_link_and_the_focus_ring_is_thick(page, shot, serang_staff):
    login(page, serang_staff.username)
    page.goto(page.base_url + "/candidates/")
    current = page.locator("#nav .nav-link[aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href") == "/candidates/"

    skip = page.locator(".skip-link")
    box = skip.bounding_box()
    assert box["y"] + box["height"] <= 0, "the skip link shows before it is focused"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the focused skip link is not on the screen"
    shot("skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    page.keyboard.press("Tab")  # the first control of the content
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.closest('main') !== null, s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert ring == [True, "solid", "3px", "rgb(26, 26, 26)"]
    shot("focus-ring")
