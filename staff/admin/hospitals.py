import logging
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from centres.enums import SiteKind
from hospitals.access import admin_hospital_ids, attachable_accounts
from hospitals.enums import AccessRequestStatus, MembershipRole
from hospitals.models import AccessRequest, AccessRequestError, Hospital, HospitalMembership
from hospitals.notifications import send_refusal
from staff.admin.base import HistoryAdmin, HospitalScopedAdmin, ReferenceDataAdmin
from staff.forms import PasswordSettingForm

logger = logging.getLogger(__name__)


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
    the (existing) account to give access to. Only the accounts of
    `attachable_accounts` can be named; any other name, whether it exists or not,
    gets the same error after the same query."""

    username = forms.CharField(label=_("nom d'utilisateur"), max_length=150)
    admin_user = None  # set by HospitalMembershipAdmin.get_form

    class Meta:
        model = HospitalMembership
        fields = ["hospital", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].initial = self.instance.user.get_username()

    def clean(self):
        cleaned_data = super().clean()
        username = cleaned_data.get("username")
        if username is None:
            return cleaned_data
        hospital = cleaned_data.get("hospital")
        others = HospitalMembership.objects.exclude(pk=self.instance.pk)
        if self.instance.pk and username == self.instance.user.get_username():
            # Their own member, unchanged (who may also have other accesses).
            user = self.instance.user
            user.is_member = hospital is not None and (
                others.filter(user=user, hospital=hospital).exists()
            )
        else:
            user = (
                attachable_accounts(self.admin_user)
                .filter(username=username)
                .annotate(
                    is_member=Exists(others.filter(user=OuterRef("pk"), hospital=hospital))
                    if hospital is not None
                    else Value(False)
                )
                .first()
            )
        if user is None:
            self.add_error(
                "username",
                forms.ValidationError(
                    _(
                        "Aucun compte « %(username)s » que vous puissiez rattacher. "
                        "Vérifiez le nom, ou demandez à l'équipe de l'annuaire ; la "
                        "personne peut aussi demander un accès depuis la page de "
                        "l'établissement."
                    ),
                    params={"username": username},
                    code="unknown",
                ),
            )
        elif user.is_member:
            # The database constraint's message (the form does not validate it: the
            # user is not one of its fields). Only their hospitals' members get here.
            self.add_error(
                "username",
                forms.ValidationError(
                    _("Cet utilisateur a déjà un accès à cet établissement."), code="unique"
                ),
            )
        else:
            self.instance.user = user
        return cleaned_data


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
        form = super().get_form(request, obj, **kwargs)
        form.admin_user = request.user  # a new class on every call (modelform_factory)
        return form

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


@admin.register(AccessRequest)
class AccessRequestAdmin(HistoryAdmin, HospitalScopedAdmin):
    """The requests of « Demander un accès », for the hospital's *administrators* and
    the superusers to approve or refuse (buttons on the request, or the list's
    actions). Nothing in a request is editable; each decision is in its history."""

    list_display = [
        "created_at",
        "full_name",
        "email",
        "hospital",
        "job_title",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", ("hospital", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["hospital", "decided_by"]
    search_fields = ["full_name", "email", "job_title", "hospital__name", "hospital__short_name"]
    fields = [
        "full_name",
        "email",
        "email_check",
        "hospital",
        "job_title",
        "message",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
        "account",
    ]
    readonly_fields = fields
    actions = ["approve_selected", "refuse_selected"]
    date_hierarchy = "created_at"
    change_form_template = "admin/hospitals/accessrequest/change_form.html"

    # Scope: the hospitals the user *administers* (editors do not see requests).

    def _decides(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        hospitals = admin_hospital_ids(request.user)
        return bool(hospitals) and (obj is None or obj.hospital_id in hospitals)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(hospital__in=admin_hospital_ids(request.user))

    def _in_scope(self, request, obj) -> bool:
        return self._decides(request, obj)

    def has_module_permission(self, request):
        return self._decides(request)

    def has_view_permission(self, request, obj=None):
        return self._decides(request, obj)

    def has_decide_permission(self, request, obj=None):
        return self._decides(request, obj)

    def has_add_permission(self, request):
        return False  # requests come from the public form

    def has_change_permission(self, request, obj=None):
        return False  # decided with the buttons, never edited

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # e.g. spam; the history keeps a copy

    @admin.display(description=_("à vérifier"))
    def email_check(self, obj):
        # Shown side by side for the person deciding; nothing is checked automatically.
        domain = obj.email.rpartition("@")[2]
        website = urlsplit(obj.hospital.website).hostname if obj.hospital.website else None
        return format_html(
            "{} <strong>{}</strong> — {} <strong>{}</strong>",
            _("domaine du courriel :"),
            domain,
            _("site web de l'établissement :"),
            website or _("inconnu"),
        )

    # Decisions.

    def get_urls(self):
        def view(func, suffix):
            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(func),
                name=f"hospitals_accessrequest_{func.__name__.removesuffix('_view')}",
            )

        return [
            view(self.approve_view, "approuver"),
            view(self.refuse_view, "refuser"),
            view(self.resend_view, "renvoyer-le-lien"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["can_decide"] = obj.is_pending and self.has_decide_permission(request, obj)
            context["can_resend"] = self._can_resend(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _decision_view(self, request, object_id, decide):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))  # 403 out of scope
        if obj is None:
            raise Http404
        if not self.has_decide_permission(request, obj):
            raise PermissionDenied
        decide(request, obj)
        return redirect("admin:hospitals_accessrequest_change", obj.pk)

    def approve_view(self, request, object_id):
        return self._decision_view(request, object_id, self._approve)

    def refuse_view(self, request, object_id):
        return self._decision_view(
            request,
            object_id,
            lambda request, obj: self._refuse(
                request, obj, notify=bool(request.POST.get("notify"))
            ),
        )

    def resend_view(self, request, object_id):
        def resend(request, obj):
            if not self._can_resend(request, obj):
                self.message_user(
                    request, gettext("Aucun lien à renvoyer pour cette demande."), messages.ERROR
                )
            elif self._send_link(request, obj, obj.account):
                self.message_user(
                    request,
                    gettext("Nouveau lien envoyé à %(email)s.") % {"email": obj.account.email},
                    messages.SUCCESS,
                )

        return self._decision_view(request, object_id, resend)

    @admin.action(description=_("Approuver les demandes sélectionnées"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        # The queryset is this admin's: only the user's hospitals' requests.
        self._skip_decided(request, queryset)
        for obj in queryset.pending().select_related("hospital"):
            self._approve(request, obj)

    @admin.action(
        description=_("Refuser les demandes sélectionnées (sans prévenir par courriel)"),
        permissions=["decide"],
    )
    def refuse_selected(self, request, queryset):
        self._skip_decided(request, queryset)
        for obj in queryset.pending().select_related("hospital"):
            self._refuse(request, obj, notify=False)

    def _skip_decided(self, request, queryset):
        decided = queryset.exclude(status=AccessRequestStatus.PENDING).count()
        if decided:
            self.message_user(
                request,
                ngettext(
                    "%(count)d demande déjà traitée a été laissée telle quelle.",
                    "%(count)d demandes déjà traitées ont été laissées telles quelles.",
                    decided,
                )
                % {"count": decided},
                messages.WARNING,
            )

    def _approve(self, request, obj):
        try:
            user = obj.approve(by=request.user)
        except AccessRequestError as error:
            self.message_user(request, f"{obj.full_name} : {error}", messages.ERROR)
            return
        self.message_user(
            request,
            gettext(
                "Demande de %(name)s approuvée : le compte « %(username)s » a un accès "
                "d'éditeur à %(hospital)s."
            )
            % {"name": obj.full_name, "username": user.get_username(), "hospital": obj.hospital},
            messages.SUCCESS,
        )
        self._send_link(request, obj, user)

    def _refuse(self, request, obj, notify):
        try:
            obj.refuse(by=request.user)
        except AccessRequestError as error:
            self.message_user(request, f"{obj.full_name} : {error}", messages.ERROR)
            return
        self.message_user(
            request,
            gettext("Demande de %(name)s refusée.") % {"name": obj.full_name},
            messages.SUCCESS,
        )
        if notify:
            try:
                send_refusal(obj)
            except Exception:
                logger.exception("Could not send the refusal of access request %s", obj.pk)
                self.message_user(
                    request,
                    gettext("Le courriel à %(email)s n'a pas pu être envoyé.")
                    % {"email": obj.email},
                    messages.WARNING,
                )

    def _can_resend(self, request, obj) -> bool:
        return (
            obj.status == AccessRequestStatus.APPROVED
            and obj.account is not None
            and obj.account.is_active
            and self.has_decide_permission(request, obj)
            and HospitalMembership.objects.filter(user=obj.account, hospital=obj.hospital).exists()
        )

    def _send_link(self, request, obj, user) -> bool:
        """Django's password-reset e-mail (a one-time link, valid
        PASSWORD_RESET_TIMEOUT), worded for a new access."""
        form = PasswordSettingForm(user)
        try:
            if not form.is_valid():
                raise ValueError(form.errors.as_text())
            form.save(
                request=request,
                use_https=request.is_secure(),
                subject_template_name="registration/access_granted_subject.txt",
                email_template_name="registration/access_granted_email.txt",
                extra_email_context={
                    "access_request": obj,
                    "hospital": obj.hospital,
                    "has_password": user.has_usable_password(),
                    "link_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
                },
            )
        except Exception:
            logger.exception("Could not send the password link of access request %s", obj.pk)
            self.message_user(
                request,
                gettext(
                    "Le courriel à %(email)s n'a pas pu être envoyé : réessayez avec "
                    "« Renvoyer le lien »."
                )
                % {"email": user.email},
                messages.WARNING,
            )
            return False
        self.message_user(
            request,
            gettext("Un lien pour choisir le mot de passe a été envoyé à %(email)s.")
            % {"email": user.email},
            messages.INFO,
        )
        return True
