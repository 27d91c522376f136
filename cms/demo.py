"""Demo pages in Chinese with their English translations, for `seed_demo`."""

import datetime

from django.db import transaction

from wagtail.models import Locale, Page, Site

from .models import HomePage, NewsIndexPage, NewsPage, SiteSettings, StandardPage

HOME = {
    "zh-hans": {
        "title": "乡村数字人才平台",
        "intro": "面向广东基层政府的数字技能培训与人才服务平台：干部学习、毕业生返乡就业、人社部门一图统览。",
    },
    "en": {
        "title": "Rural Digital Talent Platform",
        "intro": "Digital-skills training and talent services for Guangdong's grassroots governments: cadre "
        "learning, graduates returning home to serve, and one view of it all for HR offices.",
    },
}

NEWS_INDEX = {
    "zh-hans": {"title": "通知公告", "intro": "<p>平台通知、招聘公告与政策文件。</p>"},
    "en": {
        "title": "Announcements",
        "intro": "<p>Platform notices, recruitment announcements and policies.</p>",
    },
}

NEWS = [
    {
        "slug": "platform-launch",
        "kind": "announcement",
        "date": datetime.date(2026, 11, 20),
        "zh-hans": {
            "title": "乡村数字人才平台上线试运行",
            "summary": "全省基层干部可通过平台参加数字政府专题课程，学时自动记入个人学习档案。",
            "body": "平台面向全省镇街、村居干部开放。学习完成以考核通过或主办方签到为准，不需要拍照、定位打卡。"
            "各地人社部门可直接查看本辖区的学习与人员配备情况，不再层层填报。",
        },
        "en": {
            "title": "The Rural Digital Talent Platform opens for trial use",
            "summary": "Grassroots cadres across the province can take digital-government courses; their hours "
            "are recorded automatically.",
            "body": "The platform is open to township and village cadres across Guangdong. A course counts as "
            "complete when its assessment is passed or the organiser records attendance: no photos, no GPS "
            "check-ins. HR offices see learning and staffing in their own region directly, without "
            "reports compiled by hand.",
        },
    },
    {
        "slug": "operator-recruitment-2027",
        "kind": "announcement",
        "date": datetime.date(2026, 11, 25),
        "zh-hans": {
            "title": "2027年村（社区）公共服务站专职操作员招募预告",
            "summary": "面向高校毕业生，优先粤东西北地区，鼓励回户籍所在地服务。",
            "body": "各县（市、区）将陆续发布招募批次。毕业生只需填写一次个人资料，即可按志愿顺序报考多个岗位；"
            "每一步的进展与结果说明都会在平台上显示。",
        },
        "en": {
            "title": "Coming in 2027: village public-service-station operator posts",
            "summary": "For university graduates, with priority for eastern, western and northern Guangdong and "
            "for those returning to their home village.",
            "body": "Counties will open their recruitment rounds in turn. Graduates fill in one profile and "
            "apply to several posts in order of preference; every step and every result is explained on "
            "the platform.",
        },
    },
    {
        "slug": "data-governance-policy",
        "kind": "policy",
        "date": datetime.date(2026, 10, 15),
        "zh-hans": {
            "title": "关于减轻基层数据填报负担的工作要求",
            "summary": "一数一源、一源多用：已由系统采集的数据，不再要求基层重复填报。",
            "body": "各级部门应优先复用已有数据生成报表。培训学时、人员配备等统计由平台自动汇总，"
            "不得以拍照、截图等“痕迹”替代实际工作成效。",
        },
        "en": {
            "title": "Requirements on reducing the reporting burden on grassroots staff",
            "summary": "Collect once, reuse everywhere: data a system already holds must not be requested "
            "again from grassroots staff.",
            "body": "Departments reuse existing data to produce reports. Training hours and staffing figures "
            "are compiled by the platform; photos and screenshots are not accepted as a substitute for "
            "real results.",
        },
    },
]

PAGES = [
    {
        "slug": "about",
        "zh-hans": {
            "title": "关于平台",
            "summary": "全省一盘棋：一个平台培训干部、吸引人才、服务基层。",
            "body": "平台由省级统筹建设，服务全省21个地级市、122个县（市、区）的基层政府。",
        },
        "en": {
            "title": "About the platform",
            "summary": "One province, one platform: training cadres, attracting talent, serving the grassroots.",
            "body": "Built at provincial level, the platform serves the grassroots governments of Guangdong's "
            "21 cities and 122 county-level divisions.",
        },
    },
    {
        "slug": "privacy",
        "zh-hans": {
            "title": "隐私政策",
            "summary": "我们只收集必要的个人信息，并告诉您为什么收集、保存多久、您有哪些权利。",
            "body": "个人信息仅用于培训记录与岗位招募。身份证号等敏感个人信息单独征得同意，加密保存、脱敏显示，"
            "每次查看均记入审计日志。您可以随时下载或删除自己的数据；法律要求保留的记录除外。",
        },
        "en": {
            "title": "Privacy notice",
            "summary": "We collect only the personal information we need, and tell you why, for how long, "
            "and what your rights are.",
            "body": "Personal information is used only for training records and recruitment. Sensitive "
            "information such as the resident ID number needs your separate consent, is encrypted at rest, "
            "shown masked, and every reveal is recorded in an audit log. You can download or delete your "
            "data at any time, except records the law requires us to keep.",
        },
    },
]


def _paragraph(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def _translate(page: Page, locale: Locale, **fields) -> Page:
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True)
    translation = translation.specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def _seed_text_page(parent: Page, model, item: dict, zh: Locale, en: Locale, **fields) -> None:
    """A page with a title, summary and one-paragraph body, in Chinese and its English translation."""
    page = model.objects.child_of(parent).filter(slug=item["slug"]).first()
    if page is None:
        text = item["zh-hans"]
        page = model(
            slug=item["slug"], locale=zh, title=text["title"], summary=text["summary"],
            body=_paragraph(text["body"]), **fields,
        )  # fmt: skip
        parent.add_child(instance=page)
        page.save_revision().publish()
    text = item["en"]
    _translate(
        page, en, title=text["title"], summary=text["summary"], body=_paragraph(text["body"])
    )


@transaction.atomic
def seed_demo_pages() -> HomePage:
    zh, _created = Locale.objects.get_or_create(language_code="zh-hans")
    en, _created = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        # Wagtail's placeholder welcome page (and the site on it) make way for the real home page.
        for placeholder in root.get_children().exact_type(Page):
            placeholder.delete()
        home = HomePage(slug="home", locale=zh, **HOME["zh-hans"])
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "乡村数字人才平台",
            },
        )
    _translate(home, en, **HOME["en"])

    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is None:
        news_index = NewsIndexPage(slug="news", locale=zh, **NEWS_INDEX["zh-hans"])
        home.add_child(instance=news_index)
        news_index.save_revision().publish()
    _translate(news_index, en, **NEWS_INDEX["en"])

    for item in NEWS:
        _seed_text_page(news_index, NewsPage, item, zh, en, kind=item["kind"], date=item["date"])
    for item in PAGES:
        _seed_text_page(home, StandardPage, item, zh, en)

    site = Site.objects.get(is_default_site=True)
    settings_obj = SiteSettings.for_site(site)
    settings_obj.contact_phone = settings_obj.contact_phone or "020-12345678"
    settings_obj.contact_email = settings_obj.contact_email or "help@rural-talent.gd.cn"
    settings_obj.address = settings_obj.address or "广州市越秀区（演示地址）"
    settings_obj.icp_number = settings_obj.icp_number or "粤ICP备00000000号-1（演示）"
    settings_obj.save()
    return home
