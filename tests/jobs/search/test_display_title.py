"""The default post title (公共服务站专职操作员) reads in the visitor's language; HR's own titles stay."""

from jobs.choices import RoundStage
from tests.factories import load_small_regions
from tests.jobs.builders import load_reference_data, make_post, make_round, villages_of

MEIXIAN = "441403"


def test_default_title_in_english_on_english_pages_and_custom_titles_as_written(db, client):
    load_small_regions()
    load_reference_data()
    round_ = make_round(MEIXIAN, stage=RoundStage.APPLICATIONS_OPEN)
    villages = villages_of(MEIXIAN)
    default = make_post(round_, villages[0])
    custom = make_post(round_, villages[1], title="电商服务专员")

    english = client.get("/en/jobs/posts/", {"region": MEIXIAN}).content.decode()
    assert "Full-time operator of the public-service station" in english
    assert (
        '<span class="muted">公共服务站专职操作员</span>' not in english
    )  # (the round's name has it)
    assert "电商服务专员" in english
    chinese = client.get("/zh-hans/jobs/posts/", {"region": MEIXIAN}).content.decode()
    assert "公共服务站专职操作员" in chinese and "Full-time operator" not in chinese

    detail = client.get(f"/en/jobs/posts/{default.pk}/").content.decode()
    assert "Full-time operator of the public-service station" in detail
    assert '"title": "Full-time operator of the public-service station"' in detail  # JobPosting
    assert "电商服务专员" in client.get(f"/en/jobs/posts/{custom.pk}/").content.decode()
