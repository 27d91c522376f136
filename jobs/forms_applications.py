"""The ranking form: one select per post of the round (`rank_<post id>`: 1 … the round's maximum,
or empty), so that it works on a phone without JavaScript."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIELD_PREFIX = "rank_"


class RankingForm(forms.Form):
    def __init__(self, *args, post_ids: list[int], max_preferences: int, initial_ranks=None, **kw):
        super().__init__(*args, **kw)
        choices = [("", "—")] + [(str(n), str(n)) for n in range(1, max_preferences + 1)]
        initial_ranks = initial_ranks or {}
        for pk in post_ids:
            self.fields[f"{FIELD_PREFIX}{pk}"] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=initial_ranks.get(pk),
                label=_("Rank"),
            )

    def clean(self):
        cleaned = super().clean()
        ranks: dict[int, int] = {}
        for name, rank in cleaned.items():
            if name.startswith(FIELD_PREFIX) and rank:
                ranks[int(name[len(FIELD_PREFIX) :])] = rank
        taken: dict[int, int] = {}
        for rank in ranks.values():
            taken[rank] = taken.get(rank, 0) + 1
        doubled = sorted(rank for rank, count in taken.items() if count > 1)
        if doubled:
            raise ValidationError(
                _("You gave rank %(ranks)s to more than one post; give each post its own rank.")
                % {"ranks": "、".join(str(r) for r in doubled)}
            )
        if not ranks:
            raise ValidationError(_("Choose at least one post: give it rank 1."))
        # Gaps are closed: ranks 1, 3, 4 become first, second and third choice.
        self.ranked_post_ids = [pk for pk, _rank in sorted(ranks.items(), key=lambda i: i[1])]
        return cleaned

    def rank_field(self, post_id: int):
        return self[f"{FIELD_PREFIX}{post_id}"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
