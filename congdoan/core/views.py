from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from congdoan.accounts.selectors import home_units
from congdoan.core.models import Job


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"units": home_units(request.user)})


@login_required
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """A job's progress; htmx polls the fragment until the job finishes."""
    job = Job.objects.filter(pk=job_id, owner=request.user).first()
    if job is None:
        raise Http404
    template = "components/progress.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
