from django.contrib import admin
from django.db import models


class DirectoryAdmin(admin.ModelAdmin):
    """Defaults shared by every admin page of the directory."""

    save_on_top = True
    # Staff paste addresses without a scheme ("www.chu-reims.fr"): assume https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
