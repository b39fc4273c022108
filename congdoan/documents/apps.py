from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "congdoan.documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from congdoan.documents import receivers
        from congdoan.org.signals import unit_moved

        unit_moved.connect(receivers.move_unit_paths, dispatch_uid="documents.move_unit_paths")
