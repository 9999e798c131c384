"""django-axes (the sign-in lockout) as an app of this project: under a Vietnamese name in the
admin. Its models' and fields' names are in the project's hand-kept Vietnamese catalogue
(locale/vi), since django-axes ships none."""

import axes.apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes.apps.AppConfig):
    verbose_name = _("Bảo vệ đăng nhập")
