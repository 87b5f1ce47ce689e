from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from centres.enums import SiteKind
from common.admin import HistoryAdmin, ReferenceDataAdmin
from hospitals.access import admin_hospital_ids
from hospitals.enums import MembershipRole
from hospitals.models import Hospital, HospitalMembership


@admin.register(Hospital)
class HospitalAdmin(HistoryAdmin, ReferenceDataAdmin):
    list_display = [
        "name",
        "short_name",
        "city",
        "region",
        "finess",
        "reference_sites",
        "competence_centres",
    ]
    list_filter = ["region"]
    search_fields = ["name", "short_name", "city", "postcode", "finess", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    readonly_fields = ["add_site_links"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "finess", "website"]}),
        (
            _("Localisation"),
            {
                "fields": [
                    "address",
                    "postcode",
                    "city",
                    "department",
                    "region",
                    ("latitude", "longitude"),
                    "coordinates_note",
                ]
            },
        ),
        (
            _("Totaux publiés par l'établissement"),
            {
                "description": _(
                    "Les nombres de centres que l'établissement annonce, avec leur source. "
                    "Ils sont affichés à côté du nombre de sites décrits dans l'annuaire."
                ),
                "fields": [
                    "published_reference_sites",
                    "published_competence_centres",
                    "published_totals_year",
                    "published_totals_source",
                    "add_site_links",
                ],
            },
        ),
        (_("Sources"), {"fields": ["sources", "notes"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).order_by("name")
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            # The described counts shown beside the published totals.
            queryset = queryset.annotate(
                described_reference=Count("sites", filter=Q(sites__kind=SiteKind.REFERENCE)),
                described_competence=Count("sites", filter=Q(sites__kind=SiteKind.COMPETENCE)),
            )
        return queryset

    @staticmethod
    def _against(published, described):
        if published is None:
            return described
        return f"{described} / {published}"

    @admin.display(description=_("CRMR décrits / annoncés"))
    def reference_sites(self, obj):
        return self._against(obj.published_reference_sites, obj.described_reference)

    @admin.display(description=_("CCMR décrits / annoncés"))
    def competence_centres(self, obj):
        return self._against(obj.published_competence_centres, obj.described_competence)

    @admin.display(description=_("Compléter l'annuaire"))
    def add_site_links(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("admin:centres_site_add")
        return format_html(
            '<a href="{}?hospital={}&amp;kind={}">{}</a> · '
            '<a href="{}?hospital={}&amp;kind={}">{}</a>',
            url,
            obj.pk,
            SiteKind.REFERENCE,
            _("Ajouter un site de centre de référence"),
            url,
            obj.pk,
            SiteKind.COMPETENCE,
            _("Ajouter un centre de compétences"),
        )


class MembershipByUsernameForm(forms.ModelForm):
    """For hospital administrators, who do not see the list of all users: they name
    the (existing) account to give access to."""

    username = forms.CharField(label=_("nom d'utilisateur"), max_length=150)

    class Meta:
        model = HospitalMembership
        fields = ["hospital", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].initial = self.instance.user.get_username()

    def clean_username(self):
        username = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Aucun compte actif « %(username)s ». Demandez sa création à l'équipe."),
                params={"username": username},
            )
        self.instance.user = user
        return username


@admin.register(HospitalMembership)
class HospitalMembershipAdmin(admin.ModelAdmin):
    """Superusers grant any access; a hospital's administrators manage its editors."""

    list_display = ["user", "hospital", "role", "created_at"]
    list_filter = ["role", "hospital"]
    list_select_related = ["user", "hospital"]
    search_fields = ["user__username", "user__email", "hospital__name", "hospital__short_name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(hospital__in=admin_hospital_ids(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "hospital" and not request.user.is_superuser:
            kwargs["queryset"] = Hospital.objects.filter(pk__in=admin_hospital_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(MembershipRole.EDITOR, MembershipRole.EDITOR.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        return ["user", "hospital"] if request.user.is_superuser else []

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = MembershipByUsernameForm
            kwargs["fields"] = ["username", "hospital", "role"]
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if not request.user.is_superuser:
            return ["username", "hospital", "role"]
        return ["user", "hospital", "role"]

    def _manages(self, request, obj=None):
        if request.user.is_superuser:
            return True
        hospitals = admin_hospital_ids(request.user)
        if not hospitals:
            return False
        return obj is None or (obj.hospital_id in hospitals and obj.role == MembershipRole.EDITOR)

    def has_module_permission(self, request):
        return self._manages(request)

    def has_view_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_add_permission(self, request):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request, obj)
