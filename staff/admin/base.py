from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from hospitals.access import hospital_ids, is_hospital_staff


class DirectoryAdmin(admin.ModelAdmin):
    """Defaults shared by every admin page of the directory."""

    save_on_top = True
    # Staff paste addresses without a scheme ("www.chu-reims.fr"): assume https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ReferenceDataAdmin(DirectoryAdmin):
    """Hospitals, filières, centres: hospital staff may look, only superusers (or
    users given Django's model permissions) may change them."""

    def has_module_permission(self, request):
        return is_hospital_staff(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_hospital_staff(request.user) or super().has_view_permission(request, obj)


class HospitalScopedAdmin(DirectoryAdmin):
    """Objects that belong to a hospital (through `hospital_path`): staff see, add,
    change and delete only those of their hospitals. Another hospital's object
    reached by a guessed URL answers 403, not the form."""

    hospital_path = "hospital"  # lookup from the model to its hospital

    def hospital_id_of(self, obj):
        return obj.hospital_id

    def _in_scope(self, request, obj) -> bool:
        return request.user.is_superuser or self.hospital_id_of(obj) in hospital_ids(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.hospital_path}__in": hospital_ids(request.user)})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not request.user.is_superuser:
            field = self.model._meta.get_field(from_field) if from_field else self.model._meta.pk
            try:
                value = field.to_python(object_id)
            except ValidationError:  # a malformed id: not found
                return None
            if self.model._default_manager.filter(**{field.name: value}).exists():
                raise PermissionDenied
        return obj

    def has_module_permission(self, request):
        return request.user.is_superuser or is_hospital_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser or is_hospital_staff(request.user)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if not is_hospital_staff(request.user):
            return False
        return obj is None or self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages of django-simple-history, with its "revert to this version" form
    held to the same rule as the change form: the *current* object, reached through
    this admin's (scoped) queryset, must be changeable by the user. The library
    itself only checks that the user may view the historical copy."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))  # 403 out of scope
        if current is not None and not self.has_change_permission(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
