from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.accounts import selectors, services
from congdoan.accounts.forms import TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke your own API tokens. A new token is shown once."""
    new_secret = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.create_token(request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.tokens_of(request.user), "new_secret": new_secret},
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_token(request.user, token_id)
        messages.success(request, _("The token has been revoked."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("accounts:tokens")
