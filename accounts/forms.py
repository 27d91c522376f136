from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from allauth.account.forms import SignupForm

from regions.choices import RegionLevel
from regions.forms import RegionField

from .models import User


class GraduateSignupForm(SignupForm):
    full_name = forms.CharField(label=_("Full name"), max_length=64, required=False)

    def save(self, request):
        user = super().save(request)
        if user and self.cleaned_data.get("full_name"):
            user.full_name = self.cleaned_data["full_name"]
            user.save(update_fields=["full_name"])
        return user


class ProfileForm(forms.ModelForm):
    home_region = RegionField(label=_("Region"), required=False)
    # Longer than the stored 11 digits: people type spaces and +86, which clean_phone removes.
    phone = forms.CharField(
        label=_("mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "phone", "preferred_language", "home_region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The picker works with official codes, not database ids.
        self.initial["home_region"] = self.instance.home_region

    def clean_phone(self):
        phone = "".join(self.cleaned_data.get("phone", "").split())
        phone = phone.removeprefix("+86")
        if phone and not (
            len(phone) == 11 and phone.isdigit() and phone[0] == "1" and phone[1] in "3456789"
        ):
            raise forms.ValidationError(
                _("Enter an 11-digit mainland mobile number, e.g. 13812345678.")
            )
        return phone


class CadreInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    region = RegionField(
        label=_("Region of the cadre's unit"),
        min_level=RegionLevel.COUNTY,
    )


class ActivateForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError(_("The two passwords do not match."))
        if p1:
            password_validation.validate_password(p1, self.user)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=64,
        help_text=_("What will use it, e.g. 'county HR reports'."),
    )
