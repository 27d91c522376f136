"""The application form, light enough for a phone and working without JavaScript.

The graduate ticks posts in the list (`pick`, one checkbox per post they are eligible for) and
adds them to their choices; the choices are then ranked with numbered selects `choice_1` …
`choice_<n>`, each listing only the chosen posts. One form class reads both: `action` "add"
(or ticked posts sent with "submit") updates the choices without applying, "submit" applies.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHOICE_PREFIX = "choice_"
ACTION_ADD = "add"
ACTION_SUBMIT = "submit"


class ChoicesForm(forms.Form):
    """`choice_1` … `choice_<max>`: post ids, first choice first (empty: no post); `pick`: ticked
    posts to add after them. After `is_valid()`: `ranked_post_ids` (choices then picks, in order),
    `adding` (update the choices only), and `posted_ids` (every valid id sent, for re-display)."""

    def __init__(
        self,
        *args,
        max_preferences: int,
        post_names: dict[int, str],
        pickable_ids: set[int],
        **kw,
    ):
        super().__init__(*args, **kw)
        self.max_preferences = max_preferences
        self.post_names = post_names
        self.pickable_ids = pickable_ids
        self.ranked_post_ids: list[int] = []
        self.posted_ids: list[int] = []
        self.picks: list[int] = []
        self.adding = False

    def _choices(self) -> tuple[list[int], list[str]]:
        ranked, errors = [], []
        for n in range(1, self.max_preferences + 1):
            raw = (self.data.get(f"{CHOICE_PREFIX}{n}") or "").strip()
            if not raw:
                continue
            try:
                pk = int(raw)
            except ValueError:
                pk = None
            if pk not in self.post_names:
                errors.append(_("Choice %(n)d is not a post of this round.") % {"n": n})
                continue
            ranked.append(pk)
        return ranked, errors

    def _picks(self, ranked: list[int]) -> list[int]:
        picks: list[int] = []
        for raw in self.data.getlist("pick") if hasattr(self.data, "getlist") else []:
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                continue
            # Only posts offered in the list; a crafted id for another post is ignored.
            if pk in self.pickable_ids and pk not in ranked and pk not in picks:
                picks.append(pk)
        return picks

    def clean(self):
        cleaned = super().clean()
        action = self.data.get("action") or ACTION_SUBMIT
        ranked, errors = self._choices()
        self.posted_ids = list(dict.fromkeys(ranked))
        seen: set[int] = set()
        doubled = list(dict.fromkeys(pk for pk in ranked if pk in seen or seen.add(pk)))
        if doubled:
            errors.append(
                _("You chose %(villages)s more than once; give each choice its own post.")
                % {"villages": "、".join(self.post_names[pk] for pk in doubled)}
            )
        self.picks = self._picks(ranked)
        if errors:
            raise ValidationError(errors)
        chosen = ranked + self.picks
        if len(chosen) > self.max_preferences:
            raise ValidationError(
                _(
                    "This round allows at most %(max)d choices; you have %(count)d. Untick some "
                    "posts, or set a choice to “—” to drop it."
                )
                % {"max": self.max_preferences, "count": len(chosen)}
            )
        self.adding = action == ACTION_ADD or bool(self.picks)
        if not chosen and not self.adding:
            raise ValidationError(
                _("Choose at least one post: tick it in the list and add it to your choices.")
            )
        self.ranked_post_ids = chosen
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
