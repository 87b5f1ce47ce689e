"""The Django admin of every model: Django's admin autodiscovery imports this
package, which registers each app's ModelAdmins."""

from staff.admin import centres, diseases, filieres, hospitals

__all__ = ["centres", "diseases", "filieres", "hospitals"]
