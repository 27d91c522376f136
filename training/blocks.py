from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.blocks import CalloutBlock, DocumentLinkBlock, HeadingBlock, ImageBlock

from .choices import QuestionKind


def parse_options(text: str) -> tuple[list[str], set[int]]:
    """Options one per line; a leading * marks a correct one. Returns (options, correct indexes)."""
    options, correct = [], set()
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("*"):
            correct.add(len(options))
            line = line[1:].strip()
        options.append(line)
    return options, correct


def validate_options(kind: str, text: str) -> list[str]:
    """The problems with a question's options, as sentences for the editor."""
    options, correct = parse_options(text)
    problems = []
    if len(options) < 2:
        problems.append(_("Give at least two options, one per line."))
    if kind == QuestionKind.TRUE_FALSE and len(options) != 2:
        problems.append(_("A true-or-false question has exactly two options."))
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(correct) != 1:
        problems.append(_("Mark exactly one correct option with * at the start of its line."))
    if kind == QuestionKind.MULTIPLE and not correct:
        problems.append(_("Mark the correct options with * at the start of their lines."))
    return problems


OPTIONS_HELP = _("One option per line. Start each correct option with *, e.g. “*数据安全法”.")


class CheckpointBlock(blocks.StructBlock):
    """A question inside a lesson. Its answer is checked on the server and never sent to the browser."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    options = blocks.TextBlock(label=_("Options"), help_text=OPTIONS_HELP)
    explanation = blocks.TextBlock(
        label=_("Explanation"), required=False, help_text=_("Shown after the learner answers.")
    )

    class Meta:
        icon = "help"
        template = "training/blocks/checkpoint.html"
        label = _("Checkpoint question")
        description = _("A question the learner answers inside the lesson before it counts as done")
        preview_value = {
            "question": "《中华人民共和国数据安全法》自哪一年起施行？",
            "kind": "single",
            "options": "2019年\n*2021年\n2023年",
            "explanation": "数据安全法自2021年9月1日起施行。",
        }

    def clean(self, value):
        value = super().clean(value)
        problems = validate_options(value["kind"], value["options"])
        if problems:
            raise StructBlockValidationError(
                block_errors={"options": ValidationError(" ".join(map(str, problems)))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        options, _correct = parse_options(value["options"])
        context["option_list"] = list(enumerate(options))  # correctness deliberately left out
        return context


class MediaBlock(blocks.StructBlock):
    file = DocumentChooserBlock(
        label=_("Media file"), help_text=_("MP4/WebM video or MP3/M4A audio")
    )
    duration_seconds = blocks.IntegerBlock(label=_("Duration (seconds)"), min_value=1)
    captions = DocumentChooserBlock(label=_("Captions (WebVTT)"), required=False)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)


class VideoBlock(MediaBlock):
    poster = ImageChooserBlock(label=_("Poster image"), required=False)

    class Meta:
        icon = "media"
        template = "training/blocks/video.html"
        label = _("Video")
        description = _("An uploaded video with its duration and optional captions")
        preview_value = {"duration_seconds": 300, "transcript": "本节介绍政务数据共享的基本流程。"}


class AudioBlock(MediaBlock):
    class Meta:
        icon = "media"
        template = "training/blocks/audio.html"
        label = _("Audio")
        description = _("An uploaded audio recording with its duration")
        preview_value = {"duration_seconds": 180, "transcript": "乡村振兴政策解读。"}


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        template="cms/blocks/paragraph.html",
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        description=_("Rich text"),
        preview_value="<p>村（社区）公共服务站是政务服务的“最后一公里”。</p>",
    )
    image = ImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    document = DocumentLinkBlock()
    callout = CalloutBlock()
    checkpoint = CheckpointBlock()


def media_seconds(body) -> int:
    return sum(
        block.value["duration_seconds"] for block in body if block.block_type in ("video", "audio")
    )


def checkpoint_blocks(body) -> dict[str, dict]:
    return {block.id: block.value for block in body if block.block_type == "checkpoint"}
