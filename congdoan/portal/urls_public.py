"""The public pages of one portal, mounted twice: under ``/p/<slug>/`` (``congdoan/urls.py``)
and at the root of the portal's own host (``urls_host``, chosen by ``PortalHostMiddleware``).

The fixed addresses come first; a category's address name can therefore never be ``rss``,
``tim-kiem``, ``chu-de``, ``van-ban``, ``sitemap.xml`` or ``robots.txt`` (``RESERVED``).
"""

from django.urls import path

from congdoan.portal import views_public as views

app_name = "portal_public"

RESERVED = frozenset({"rss", "tim-kiem", "chu-de", "van-ban", "sitemap.xml", "robots.txt", "p"})

fixed_patterns = [
    path("", views.home, name="home"),
    path("rss/", views.portal_feed, name="rss"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("tim-kiem/", views.search, name="search"),
    path("chu-de/<slug:tag_slug>/", views.topic, name="topic"),
    path("van-ban/", views.documents, name="documents"),
    path("van-ban/<int:pk>/", views.document, name="document"),
    path("van-ban/tep/<int:pk>/", views.attachment, name="attachment"),
]

category_patterns = [
    path("<slug:category_slug>/", views.category, name="category"),
    path("<slug:category_slug>/rss/", views.category_feed, name="category_rss"),
    path("<slug:category_slug>/<slug:article_slug>.html", views.article, name="article"),
]

urlpatterns = fixed_patterns + category_patterns
