import base64
import json
import zlib

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from centres.importing import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportBusy,
    ImportConflict,
    ImportFileError,
    Preview,
    apply_import,
    check_file_size,
    megabytes,
    plan_import,
    thousands,
)
from centres.models import CentreCoverage, ErrorReport, PublishedCount, ReferenceCentre, Site
from common.france import Region
from filieres.models import Filiere
from hospitals.access import hospital_ids, is_hospital_staff
from hospitals.models import Hospital
from staff.admin.base import HistoryAdmin, HospitalScopedAdmin, ReferenceDataAdmin


class SiteRegionFilter(admin.SimpleListFilter):
    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return Region.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.in_region(self.value())
        return queryset


class VerificationFilter(admin.SimpleListFilter):
    title = _("vérification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("a-verifier", _("à vérifier")), ("a-jour", _("à jour"))]

    def queryset(self, request, queryset):
        if self.value() == "a-verifier":
            return queryset.to_verify()
        if self.value() == "a-jour":
            return queryset.exclude(pk__in=queryset.to_verify().values("pk"))
        return queryset


class SiteInline(admin.TabularInline):
    """The centre's sites, for reading: each is edited in its own form, by its
    hospital's staff. Superusers see every site. Editors see their hospitals' sites,
    published or not, and the other hospitals' published sites, read-only: exactly
    what the public page of each site lists as "the centre's other sites", so nothing
    is disclosed, and an editor sees which site coordinates their centre. The other
    hospitals' unpublished sites (drafts, closed sites) are not theirs to see."""

    model = Site
    fields = ["kind", "role", "hospital", "city", "is_published", "links"]
    readonly_fields = fields
    # `links` links to the change form only the sites the user may edit.
    show_change_link = False
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("hospital", "centre")
        if request.user.is_superuser:
            return queryset.annotate(editable=Value(True))
        mine = hospital_ids(request.user)
        if not mine:
            return queryset.published().annotate(editable=Value(False))
        return queryset.filter(Q(hospital__in=mine) | Q(is_published=True)).annotate(
            editable=ExpressionWrapper(Q(hospital__in=mine), output_field=BooleanField())
        )

    def has_view_permission(self, request, obj=None):
        # Hospital staff have no model permission: the queryset above is their scope.
        return is_hospital_staff(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        # A site needs a slug and its sources: add it from the site form.
        return False

    @admin.display(description=_("fiche"))
    def links(self, obj):
        links = []
        if obj.editable:
            links.append((reverse("admin:centres_site_change", args=[obj.pk]), _("Modifier")))
        if obj.is_published:
            links.append((obj.get_absolute_url(), _("page publique")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links) or "—"


class CentreCoverageInline(admin.TabularInline):
    """The centre's disease scope (reference data: read-only for hospital staff)."""

    model = CentreCoverage
    extra = 0
    autocomplete_fields = ["disease"]
    fields = ["disease", "justification"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("disease")

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ReferenceCentre)
class ReferenceCentreAdmin(HistoryAdmin, ReferenceDataAdmin):
    list_display = ["name", "acronym", "filiere", "label_period"]
    list_filter = ["filiere"]
    list_select_related = ["filiere"]
    search_fields = ["name", "acronym", "slug", "filiere__acronym"]
    prepopulated_fields = {"slug": ["acronym", "name"]}
    autocomplete_fields = ["filiere"]
    inlines = [CentreCoverageInline, SiteInline]


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class SiteAdminForm(forms.ModelForm):
    """Refuses to save an edit made on an outdated version of the site: when two
    people edit the same site, the second save does not silently overwrite the
    first."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Site
        # The admin's fieldsets choose the fields; `version` is not editable and
        # `seen_version` carries the version the editor saw.
        fields = "__all__"  # noqa: DJ007
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the end of the admin's transaction (PostgreSQL), so no
            # other save can slip in between this check and ours: the change form and
            # the history's revert form (SiteAdmin.history_form_view) run in one.
            current = (
                Site.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and cleaned.get("seen_version") != current:
                raise forms.ValidationError(
                    _(
                        "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous "
                        "l'éditiez. Vos changements n'ont pas été enregistrés : rechargez la "
                        "fiche pour voir la nouvelle version, puis refaites vos changements."
                    ),
                    code="stale",
                )
        return cleaned


IMPORT_SALT = "centres.site.import"
IMPORT_TEMPLATE = "admin/centres/site/import.html"
# A preview may be confirmed for this long (seconds).
IMPORT_PREVIEW_MAX_AGE = 2 * 60 * 60


def encode_preview(preview: Preview) -> str:
    """The previewed file and its options, compressed and signed, for the hidden field
    of the confirmation form. At most 4/3 of the file's size plus a few bytes, so the
    largest file allowed (MAX_FILE_BYTES) fits in DATA_UPLOAD_MAX_MEMORY_SIZE."""
    header = json.dumps({"complete": preview.complete_filieres, "digest": preview.digest})
    raw = zlib.compress(header.encode() + b"\n" + preview.text.encode(), 9)
    encoded = base64.urlsafe_b64encode(raw).decode("ascii")
    return signing.TimestampSigner(salt=IMPORT_SALT).sign(encoded)


def decode_preview(payload: str) -> Preview:
    """Raises signing.BadSignature (SignatureExpired included)."""
    encoded = signing.TimestampSigner(salt=IMPORT_SALT).unsign(
        payload, max_age=IMPORT_PREVIEW_MAX_AGE
    )
    header, _sep, text = zlib.decompress(base64.urlsafe_b64decode(encoded)).partition(b"\n")
    options = json.loads(header)
    return Preview(text.decode(), tuple(options["complete"]), options["digest"])


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV (UTF-8)"),
        help_text=_(
            "Colonnes décrites dans le README : « Importer la liste officielle ». "
            "%(size)s, %(rows)s lignes et %(cell)s caractères par case au plus."
        )
        % {
            "size": megabytes(MAX_FILE_BYTES),
            "rows": thousands(MAX_ROWS),
            "cell": thousands(MAX_CELL_CHARS),
        },
    )
    complete_filieres = forms.ModelMultipleChoiceField(
        label=_("Liste complète des filières"),
        queryset=Filiere.objects.order_by("acronym"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Cochez une filière seulement si ce fichier est sa liste complète : ses "
            "sites publiés absents du fichier seront dépubliés (jamais supprimés ; "
            "l'aperçu les liste, l'historique l'enregistre, et un import complet qui "
            "les contient les publie à nouveau). Sans case cochée, l'import ne "
            "dépublie rien."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_size(upload.size)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("Le fichier n'est pas en UTF-8 : enregistrez le CSV en UTF-8.")
            ) from None
        return upload


@admin.register(Site)
class SiteAdmin(HistoryAdmin, HospitalScopedAdmin):
    form = SiteAdminForm
    list_display = [
        "__str__",
        "kind",
        "role",
        "filiere",
        "hospital",
        "city",
        "is_published",
        "verified",
    ]
    list_filter = [
        VerificationFilter,
        "kind",
        "role",
        "is_published",
        "age_group",
        SiteRegionFilter,
        ("centre__filiere", admin.RelatedOnlyFieldListFilter),
        ("hospital", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["centre__filiere", "hospital"]
    search_fields = [
        "name",
        "slug",
        "centre__name",
        "centre__acronym",
        "hospital__name",
        "hospital__short_name",
        "hospital__finess",
        "hospital__postcode",
        "city",
        "postcode",
        "service",
        "head",
    ]
    autocomplete_fields = ["centre", "hospital"]
    readonly_fields = ["created_at", "updated_at", "version"]
    actions = ["mark_verified"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "centre",
                    "kind",
                    "role",
                    "hospital",
                    "name",
                    "slug",
                    "is_published",
                    "seen_version",
                ]
            },
        ),
        (_("Service et contacts"), {"fields": ["service", "head", "phone", "email", "website"]}),
        (
            _("Adresse propre au site"),
            {
                "description": _(
                    "À remplir seulement si elle diffère de celle de l'établissement, "
                    "ou si l'établissement n'est pas connu."
                ),
                "fields": ["address", "postcode", "city", "region", ("latitude", "longitude")],
            },
        ),
        (
            _("Patients et labellisation"),
            {"fields": ["age_group", "age_note", "label_period", "label_year"]},
        ),
        (_("Sources et vérification"), {"fields": ["sources", "notes", "verified_on"]}),
        (_("Suivi"), {"fields": ["created_at", "updated_at", "version"]}),
    ]

    @admin.display(description=_("filière"), ordering="centre__filiere__acronym")
    def filiere(self, obj):
        return obj.centre.filiere or "—"

    @admin.display(description=_("vérifié le"), ordering="verified_on")
    def verified(self, obj):
        if obj.needs_verification:
            label = obj.verified_on.strftime("%d/%m/%Y") if obj.verified_on else _("jamais")
            return format_html(
                '<strong style="color:#b3261e">{} — {}</strong>', label, _("à vérifier")
            )
        return obj.verified_on.strftime("%d/%m/%Y")

    @admin.action(description=_("Confirmer que la fiche est à jour"))
    def mark_verified(self, request, queryset):
        today = timezone.localdate()
        with transaction.atomic(using=router.db_for_write(Site)):
            # Locked and read again (the list the user acted on may be outdated): only
            # `verified_on` is written, with the version, so an edit committed since
            # is kept, and an edit still open is refused as based on an old version.
            sites = list(
                Site.objects.select_for_update().filter(
                    pk__in=queryset.values("pk")  # already limited to the user's hospitals
                )
            )
            for site in sites:
                if site.verified_on != today:
                    site.verified_on = today
                    site.save(update_fields=["verified_on"])  # history, with the user
        self.message_user(
            request,
            ngettext(
                "%(count)d fiche confirmée à jour le %(date)s.",
                "%(count)d fiches confirmées à jour le %(date)s.",
                len(sites),
            )
            % {"count": len(sites), "date": today.strftime("%d/%m/%Y")},
            messages.SUCCESS,
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Like the change form, the revert form runs in one transaction: its version
        # check locks the row until the save (PostgreSQL refuses a row lock outside a
        # transaction).
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields.append("hospital")  # staff cannot move a site to another hospital
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "hospital" and not request.user.is_superuser:
            kwargs["queryset"] = Hospital.objects.filter(pk__in=hospital_ids(request.user))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        if request.user.is_superuser:
            return self.autocomplete_fields
        return ["centre"]  # their hospitals, in a plain <select>

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="centres_site_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload the official list (CSV) → preview every row → confirm. Superusers
        only. The previewed file travels signed, so it cannot be altered in between,
        and is checked again when confirmed: if it no longer gives the previewed
        result, nothing is written and the new preview is shown."""
        if not request.user.is_superuser:
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer la liste officielle des sites labellisés"),
            "form": ImportUploadForm(),
        }
        if request.method != "POST":
            return TemplateResponse(request, IMPORT_TEMPLATE, context)
        if "confirm" in request.POST:
            return self._confirm_import(request, context)
        form = ImportUploadForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return TemplateResponse(request, IMPORT_TEMPLATE, context, status=400)
        complete = [filiere.slug for filiere in form.cleaned_data["complete_filieres"]]
        try:
            plan = plan_import(form.cleaned_data["text"], complete)
        except ImportFileError as exc:
            context["error"] = str(exc)
            return TemplateResponse(request, IMPORT_TEMPLATE, context, status=400)
        return self._preview(request, context, plan)

    def _preview(self, request, context, plan, status=200):
        context["plan"] = plan
        if plan.is_valid:
            context["payload"] = encode_preview(plan.preview)
        else:
            status = 400
        return TemplateResponse(request, IMPORT_TEMPLATE, context, status=status)

    def _confirm_import(self, request, context):
        try:
            preview = decode_preview(request.POST.get("payload", ""))
        except (signing.BadSignature, ValueError, zlib.error):
            context["error"] = _(
                "Le fichier à confirmer est invalide ou son aperçu a plus de deux heures : "
                "déposez-le à nouveau."
            )
            return TemplateResponse(request, IMPORT_TEMPLATE, context, status=400)
        try:
            plan = apply_import(preview)
        except ImportBusy as exc:
            context["error"] = str(exc)
            return TemplateResponse(request, IMPORT_TEMPLATE, context, status=409)
        except ImportConflict as exc:
            context["error"] = str(exc)
            return self._preview(request, context, exc.plan, status=409)
        except ImportFileError as exc:  # the same file: only if the limits changed
            context["error"] = str(exc)
            return TemplateResponse(request, IMPORT_TEMPLATE, context, status=400)
        self.message_user(
            request,
            _(
                "Import enregistré : %(created)d création(s), %(updated)d "
                "modification(s), %(same)d inchangée(s), %(unpublished)d dépubliée(s)."
            )
            % {
                "created": plan.count("création"),
                "updated": plan.count("modification"),
                "same": plan.count("inchangé"),
                "unpublished": len(plan.unpublish),
            },
            messages.SUCCESS,
        )
        return redirect("admin:centres_site_changelist")


@admin.register(ErrorReport)
class ErrorReportAdmin(HospitalScopedAdmin):
    """The moderation queue of "Signaler une erreur"."""

    hospital_path = "site__hospital"
    list_display = ["created_at", "reason", "site_link", "status"]
    list_filter = ["status", "reason", ("site__hospital", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["site__hospital", "site__centre"]
    search_fields = ["message", "site__name", "site__centre__name", "site__hospital__name"]
    readonly_fields = ["site_link", "reason", "message", "reply_email", "created_at", "updated_at"]
    fields = [
        "site_link",
        "reason",
        "message",
        "reply_email",
        "created_at",
        "status",
        "staff_note",
        "updated_at",
    ]
    date_hierarchy = "created_at"

    def hospital_id_of(self, obj):
        return obj.site.hospital_id

    @admin.display(description=_("site"))
    def site_link(self, obj):
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">{}</a>)',
            reverse_site_change(obj.site),
            obj.site,
            obj.site.get_absolute_url(),
            _("page publique"),
        )

    def has_add_permission(self, request):
        return False  # reports come from the public form


def reverse_site_change(site):
    return reverse("admin:centres_site_change", args=[site.pk])


@admin.register(PublishedCount)
class PublishedCountAdmin(ReferenceDataAdmin):
    list_display = ["__str__", "scope", "label", "crmr_total", "competence_centres", "total_sites"]
    list_filter = ["scope", "label"]
    list_select_related = ["filiere", "centre"]
    search_fields = ["slug", "filiere__acronym", "centre__acronym", "centre__name"]
    autocomplete_fields = ["filiere", "centre"]

    @admin.display(description=_("sites de CRMR"))
    def crmr_total(self, obj):
        return obj.crmr_sites
