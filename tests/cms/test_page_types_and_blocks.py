"""Where each page type may be created, and the content blocks editors pick from."""

import inspect

from django.urls import reverse

from wagtail import blocks
from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from cms import blocks as cms_blocks
from cms.models import HomePage, NewsIndexPage, NewsPage, StandardPage

STRUCT_BLOCKS = [
    cls
    for _name, cls in inspect.getmembers(cms_blocks, inspect.isclass)
    if issubclass(cls, blocks.StructBlock) and cls.__module__ == cms_blocks.__name__
]
BODY_CHILDREN = list(cms_blocks.BodyBlock().child_blocks.items())


def can_create_at(parent, child) -> bool:
    """WagtailPageTestCase.assertCanCreateAt, as a plain predicate."""
    return child in parent.allowed_subpage_models() and parent in child.allowed_parent_page_models()


# --- page types ---------------------------------------------------------------------------


def test_home_page_sits_at_the_root_and_holds_sections():
    assert set(HomePage.allowed_parent_page_models()) == {Page}
    assert can_create_at(HomePage, NewsIndexPage)
    assert can_create_at(HomePage, StandardPage)
    assert not can_create_at(HomePage, NewsPage)
    assert not can_create_at(HomePage, HomePage)


def test_news_pages_live_only_in_a_news_index():
    assert set(NewsIndexPage.allowed_parent_page_models()) == {HomePage}
    assert set(NewsIndexPage.allowed_subpage_models()) == {NewsPage}
    assert set(NewsPage.allowed_parent_page_models()) == {NewsIndexPage}
    assert NewsPage.allowed_subpage_models() == []


def test_standard_pages_live_under_home_or_another_standard_page():
    assert set(StandardPage.allowed_parent_page_models()) == {HomePage, StandardPage}
    assert set(StandardPage.allowed_subpage_models()) == {StandardPage}
    assert not can_create_at(NewsIndexPage, StandardPage)


@pytest.mark.django_db
def test_only_one_home_page_per_parent(demo_pages):
    root = Page.get_first_root_node()

    # The Chinese home page and its English translation both sit at the root: no third one.
    assert not HomePage.can_create_at(root)


# --- blocks ---------------------------------------------------------------------------------


def test_cms_blocks_are_found():
    assert {cls.__name__ for cls in STRUCT_BLOCKS} >= {
        "HeadingBlock",
        "ImageBlock",
        "CalloutBlock",
        "DocumentLinkBlock",
        "QuoteBlock",
    }


@pytest.mark.parametrize("block_class", STRUCT_BLOCKS, ids=lambda cls: cls.__name__)
def test_struct_block_meta_is_complete(block_class):
    block = block_class()

    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.meta.template and block.meta.template.startswith("cms/blocks/")
    assert block.meta.preview_value
    assert str(block.meta.description).strip()


@pytest.mark.parametrize(("name", "block"), BODY_CHILDREN, ids=[name for name, _b in BODY_CHILDREN])
def test_every_body_block_is_previewable_in_the_block_picker(name, block):
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert str(block.meta.description).strip()
    assert block.is_previewable


# The text each block's preview value shows. The document block's preview has no file to link
# to, and a document link without a document renders nothing.
PREVIEW_TEXT = {
    "heading": ["数字政府改革建设"],
    "paragraph": ["推动数字技术与基层治理深度融合。"],
    "image": ["乡镇政务服务中心"],
    "callout": ["报名截止", "请于截止日期前完成报名。"],
    "document": [],
    "quote": ["全省一盘棋，共建数字政府。", "广东省数字政府改革建设方案"],
}


def test_preview_text_covers_every_body_block():
    assert set(PREVIEW_TEXT) == {name for name, _block in BODY_CHILDREN}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "block"), BODY_CHILDREN, ids=[name for name, _b in BODY_CHILDREN])
def test_every_body_block_renders_its_preview_value(name, block):
    html = block.render(block.get_preview_value())

    text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    for expected in PREVIEW_TEXT[name]:
        assert expected in text, html


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "block"), BODY_CHILDREN, ids=[name for name, _b in BODY_CHILDREN])
def test_block_picker_preview_page_uses_the_site_stylesheet(admin_client_with_mfa, name, block):
    response = admin_client_with_mfa.get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )

    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert html.select_one('link[rel="stylesheet"][href$="cms/site.css"]') is not None
    main = html.select_one("main").get_text(" ", strip=True)
    for expected in PREVIEW_TEXT[name]:
        assert expected in main


def test_heading_block_renders_the_chosen_level():
    block = cms_blocks.HeadingBlock()

    html = block.render(block.to_python({"text": "小标题", "level": "h3"}))

    assert html.strip() == "<h3>小标题</h3>"
