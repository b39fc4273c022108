"""Forms of the editors' pages. They only parse what was typed: the rules live in the services,
whose ValidationErrors are shown next to the fields (``add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField

from congdoan.portal.models import Article, Category, Image

__all__ = [
    "ArticleForm",
    "CategoryForm",
    "ImageForm",
    "NoteForm",
    "ReturnForm",
]

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]

# What the editor offers; the server keeps the same (congdoan.portal.html.sanitize).
EDITOR_EXTENSIONS: dict[str, Any] = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Blockquote": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": True,
    "Caption": True,
    "Image": True,
    "History": True,
}


def datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kwargs,
    )


class _TreeIterator(ModelChoiceIterator):
    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category in self.field.ordered:
            yield self.choice(category)

    def __len__(self) -> int:
        return len(self.field.ordered) + (self.field.empty_label is not None)


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories as an indented tree, in the tree's order."""

    iterator = _TreeIterator

    def __init__(self, tree: list[tuple[Category, int]], **kwargs: Any) -> None:
        self.ordered = [c for c, _depth in tree]
        self.depths = {c.pk: depth for c, depth in tree}
        queryset = Category.objects.filter(pk__in=[c.pk for c in self.ordered])
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj: Category) -> str:
        return "— " * self.depths.get(obj.pk, 0) + obj.name


class CoverWidget(forms.RadioSelect):
    """The portal's recent pictures as thumbnails to choose from, or none."""

    template_name = "portal/staff/_cover_widget.html"
    option_template_name = "portal/staff/_cover_option.html"


class CoverChoiceField(forms.ModelChoiceField):
    widget = CoverWidget

    def label_from_instance(self, obj: Image) -> str:
        return obj.alt_text


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences shown in lists and when the article is shared."),
    )
    body = ProseEditorFormField(
        label=_("Text"), required=False, config={"extensions": EDITOR_EXTENSIONS}, sanitize=False
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    tags = forms.CharField(
        label=_("Topics"),
        required=False,
        help_text=_("Separated by commas, e.g. Tháng Công nhân, An toàn lao động."),
    )
    cover = CoverChoiceField(
        label=_("Cover picture"),
        required=False,
        queryset=Image.objects.none(),
        empty_label=_("No cover picture"),
    )
    cover_file = forms.FileField(
        label=_("Or upload a new cover picture"),
        required=False,
        help_text=_("JPEG, PNG or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    cover_alt = forms.CharField(
        label=_("Text alternative of the new picture"),
        required=False,
        max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it (required)."),
    )
    cover_caption = forms.CharField(label=_("Caption"), required=False, max_length=500)
    cover_credit = forms.CharField(label=_("Photo by"), required=False, max_length=200)
    byline = forms.CharField(label=_("Author"), required=False, max_length=200)
    source = forms.CharField(label=_("Source"), required=False, max_length=200)
    video_url = forms.CharField(
        label=_("Video"),
        required=False,
        max_length=200,
        help_text=_("A YouTube address is shown as a player; any other address as a link."),
    )
    featured = forms.BooleanField(label=_("Featured on the home page"), required=False)
    internal = forms.BooleanField(
        label=_("Internal"), required=False, help_text=_("Only for signed-in staff and members.")
    )
    publish_at = datetime_field(_("Publish at"), help_text=_("Empty: as soon as approved."))
    expire_at = datetime_field(_("Expires at"), help_text=_("Empty: never."))
    note = forms.CharField(
        label=_("Note on this change"),
        required=False,
        max_length=300,
        help_text=_("Kept with the revision, e.g. “corrected the date”."),
    )

    SERVICE_FIELDS = (
        "title",
        "summary",
        "body",
        "category",
        "tags",
        "cover",
        "byline",
        "source",
        "video_url",
        "featured",
        "internal",
        "publish_at",
        "expire_at",
    )

    def __init__(
        self,
        *args: Any,
        tree: list[tuple[Category, int]],
        images: list[Image],
        can_schedule: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"] = CategoryChoiceField(tree, label=_("Category"))
        self.fields["cover"].queryset = Image.objects.filter(pk__in=[i.pk for i in images])
        if not can_schedule:
            for name in ("publish_at", "expire_at"):
                self.fields[name].help_text = _("The editor confirms it when approving.")

    @staticmethod
    def initial_for(article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "category": article.category_id,
            "tags": ", ".join(t.name for t in article.tags.order_by("name")),
            "cover": article.cover_id,
            "byline": article.byline,
            "source": article.source,
            "video_url": article.video_url,
            "featured": article.featured,
            "internal": article.internal,
            "publish_at": article.publish_at,
            "expire_at": article.expire_at,
        }

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}


class ImageForm(forms.Form):
    file = forms.FileField(
        label=_("Picture"),
        help_text=_("JPEG, PNG or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Text alternative"),
        max_length=300,
        required=False,
        help_text=_("What the picture shows, for readers who cannot see it (required)."),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=500)
    credit = forms.CharField(label=_("Photo by"), required=False, max_length=200)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.CharField(
        label=_("Address name"),
        required=False,
        max_length=120,
        help_text=_("Empty: made from the name."),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent category"), required=False, queryset=Category.objects.none()
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.IntegerField(label=_("Order"), initial=100, min_value=0, max_value=32767)
    in_menu = forms.BooleanField(label=_("Shown in the menu"), required=False, initial=True)
    needs_leader_approval = forms.BooleanField(
        label=_("A leader must approve"),
        required=False,
        help_text=_("Articles of this category are published only after a leader approves."),
    )
    internal = forms.BooleanField(
        label=_("Internal"),
        required=False,
        help_text=_("Readable only by signed-in staff and members of this federation."),
    )

    def __init__(self, *args: Any, tree: list[tuple[Category, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = CategoryChoiceField(
            tree, label=_("Parent category"), required=False, empty_label=_("(top level)")
        )

    @staticmethod
    def initial_for(category: Category) -> dict[str, Any]:
        return {
            "name": category.name,
            "slug": category.slug,
            "parent": category.parent_id,
            "description": category.description,
            "order": category.order,
            "in_menu": category.in_menu,
            "needs_leader_approval": category.needs_leader_approval,
            "internal": category.internal,
        }


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What must change"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
