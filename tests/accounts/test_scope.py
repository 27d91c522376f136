"""accounts.scope: the one function that decides which regions a user may act on."""

from django.http import Http404

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.choices import Role
from accounts.models import User
from accounts.scope import filter_in_scope, get_in_scope_or_404, region_in_scope
from accounts.services import role_grant
from regions.models import Region
from tests.factories import UserFactory, region, user_with_role

from .helpers import MEIXIAN, MEIXIAN_TOWNSHIP, TIANHE, TIANHE_TOWNSHIP

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class RegionTree:
    """The small region set in memory, with an expectation computed from parent links only."""

    def __init__(self):
        self.all = list(Region.objects.order_by("code"))
        self.by_pk = {r.pk: r for r in self.all}
        self.parent = {r.pk: r.parent_id for r in self.all}
        self.scopable = [r for r in self.all if r.level in ("province", "city", "county")]
        # Scopes near the regions whose townships and villages are loaded, so that hits are common.
        focus = {"440000", "440100", "441400", MEIXIAN, TIANHE, "441402"}
        self.focus_scopes = [r for r in self.all if r.code in focus]

    def at_or_below(self, obj: Region, scope_pks: set[int]) -> bool:
        pk = obj.pk
        while pk is not None:
            if pk in scope_pks:
                return True
            pk = self.parent[pk]
        return False

    def scope_strategy(self):
        return st.one_of(st.sampled_from(self.scopable), st.sampled_from(self.focus_scopes))


@pytest.fixture
def tree(regions):
    return RegionTree()


def _user_with_grants(grants: list[tuple[str, Region]]) -> User:
    user = UserFactory()
    for role, scope in grants:
        role_grant(user=user, role=role, region=scope)
    return User.objects.get(pk=user.pk)  # fresh: no cached roles


@given(data=st.data())
@HYPOTHESIS
def test_region_in_scope_is_true_exactly_at_or_below_a_scope_region_of_that_role(tree, data):
    grants = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from([Role.HR_OFFICER, Role.TRAINING_EDITOR]), tree.scope_strategy()
            ),
            min_size=1,
            max_size=3,
        ),
        label="grants",
    )
    objects = data.draw(
        st.lists(st.sampled_from(tree.all), min_size=1, max_size=8), label="objects"
    )
    user = _user_with_grants(grants)

    for role in (Role.HR_OFFICER, Role.TRAINING_EDITOR):
        scope_pks = {scope.pk for grant_role, scope in grants if grant_role == role}
        for obj in objects:
            expected = tree.at_or_below(obj, scope_pks)
            assert region_in_scope(user, obj, role=role) is expected, (role, obj.code, grants)


@pytest.fixture
def population(tree):
    """Forty people spread over the small set (every level), and one with no region."""
    homes = tree.all[:: max(1, len(tree.all) // 40)] + [None]
    return [UserFactory(home_region=home) for home in homes]


@given(data=st.data())
@HYPOTHESIS
def test_filter_in_scope_keeps_exactly_the_rows_region_in_scope_accepts(tree, population, data):
    scopes = data.draw(st.lists(tree.scope_strategy(), min_size=1, max_size=3), label="scopes")
    officer = _user_with_grants([(Role.HR_OFFICER, scope) for scope in scopes])
    people = User.objects.filter(pk__in=[p.pk for p in population]).select_related("home_region")

    kept = set(
        filter_in_scope(people, officer, region_field="home_region").values_list("pk", flat=True)
    )

    expected = {p.pk for p in people if region_in_scope(officer, p.home_region)}
    assert kept == expected
    scope_pks = {s.pk for s in scopes}
    assert expected == {
        p.pk for p in people if p.home_region and tree.at_or_below(p.home_region, scope_pks)
    }


def test_out_of_scope_object_is_reported_missing(regions):
    officer = user_with_role(Role.HR_OFFICER, MEIXIAN)
    meixian_person = UserFactory(home_region=region(MEIXIAN_TOWNSHIP))
    tianhe_person = UserFactory(home_region=region(TIANHE_TOWNSHIP))
    people = User.objects.all()

    found = get_in_scope_or_404(people, officer, region_field="home_region", pk=meixian_person.pk)
    assert found == meixian_person
    with pytest.raises(Http404):
        get_in_scope_or_404(people, officer, region_field="home_region", pk=tianhe_person.pk)
    # Regions themselves: the county above and the neighbouring county are both "missing".
    assert get_in_scope_or_404(
        Region.objects.all(), officer, region_field="", code=MEIXIAN_TOWNSHIP
    )
    for code in (TIANHE, "441400", "440000"):
        with pytest.raises(Http404):
            get_in_scope_or_404(Region.objects.all(), officer, region_field="", code=code)
    with pytest.raises(Http404):
        get_in_scope_or_404(people, officer, region_field="home_region", pk=10**9)


@pytest.mark.parametrize("make_admin", ["role", "superuser"])
def test_administrators_see_every_region_and_row(regions, make_admin):
    if make_admin == "role":
        admin = user_with_role(Role.ADMIN)
    else:
        admin = UserFactory(is_superuser=True, is_staff=True)
    people = [UserFactory(home_region=region(code)) for code in (MEIXIAN_TOWNSHIP, TIANHE_TOWNSHIP)]
    people.append(UserFactory(home_region=None))

    for code in ("440000", MEIXIAN, TIANHE_TOWNSHIP, "445300"):
        assert region_in_scope(admin, region(code))
    qs = User.objects.filter(pk__in=[p.pk for p in people])
    assert set(filter_in_scope(qs, admin, region_field="home_region")) == set(people)
    assert get_in_scope_or_404(qs, admin, region_field="home_region", pk=people[1].pk) == people[1]


@pytest.mark.parametrize("role", [Role.CADRE, Role.GRADUATE, Role.OPERATOR, None])
def test_users_without_a_scoped_role_see_nothing(regions, role):
    user = user_with_role(role) if role else UserFactory()
    person = UserFactory(home_region=region(MEIXIAN_TOWNSHIP))
    user.home_region = region(MEIXIAN)  # living in a region gives no rights over it
    user.save()

    for code in ("440000", MEIXIAN, MEIXIAN_TOWNSHIP):
        assert not region_in_scope(user, region(code))
    assert not filter_in_scope(User.objects.all(), user, region_field="home_region").exists()
    with pytest.raises(Http404):
        get_in_scope_or_404(User.objects.all(), user, region_field="home_region", pk=person.pk)


def test_an_editor_scope_does_not_give_hr_rights(regions):
    editor = user_with_role(Role.TRAINING_EDITOR, MEIXIAN)
    assert region_in_scope(editor, region(MEIXIAN_TOWNSHIP), role=Role.TRAINING_EDITOR)
    assert not region_in_scope(editor, region(MEIXIAN_TOWNSHIP), role=Role.HR_OFFICER)


def test_inactive_officer_has_no_scope(regions):
    officer = user_with_role(Role.HR_OFFICER, MEIXIAN)
    officer.is_active = False
    officer.save()
    officer = User.objects.get(pk=officer.pk)
    assert not region_in_scope(officer, region(MEIXIAN_TOWNSHIP))
    assert not filter_in_scope(Region.objects.all(), officer, region_field="").exists()
