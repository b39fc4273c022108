"""The urlconf of a request to a portal's own host (set by ``PortalHostMiddleware``): the
portal's public pages at ``/``, and the rest of the site (sign-in, the staff office, the API)
at their usual addresses. The portal's fixed pages come first, the category addresses last,
so that ``/accounts/``, ``/documents/`` and the others keep working on the portal's host.
"""

from django.urls import include, path

from congdoan import urls as site_urls
from congdoan.portal.urls_public import app_name, category_patterns, fixed_patterns

urlpatterns = [
    path("", include((fixed_patterns, app_name), namespace="portal_host")),
    *site_urls.urlpatterns,
    path("", include((category_patterns, app_name), namespace="portal_host_categories")),
]
