"""Pages: the consent step of sign-in (asked once per service), the resident's connected
services, "tell us once" and its delivery log."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from allauth.account.authentication import get_authentication_records
from allauth.idp.oidc.internal.oauthlib.server import get_server
from allauth.idp.oidc.internal.oauthlib.utils import extract_params, respond_html_error
from allauth.idp.oidc.models import Client
from allauth.idp.oidc.views import AuthorizationView, LogoutView, _ClientHttpResponseRedirect
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from oauthlib.oauth2.rfc6749 import errors

from cityhall.core.forms import apply_errors
from cityhall.sso import actions, queries
from cityhall.sso.forms import TellServicesForm
from cityhall.sso.models import ChangeKind, ConsentGrant


def _origin(uri: str) -> str:
    parts = urlparse(uri)
    return f"{parts.scheme}://{parts.netloc}"


class _AlreadyAgreed(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


class CityAuthorizationView(AuthorizationView):
    """allauth's authorization endpoint, with three things a city needs: consent is asked
    once per service (and can be revoked), `prompt=none` never skips a consent that was
    never given, and how the resident signed in is kept for the ID token (acr/amr)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        prompts = set((request.GET.get("prompt") or "").split())
        client_id = request.GET.get("client_id", "")
        if request.user.is_authenticated:
            try:
                get_server().validate_authorization_request(*extract_params(request))
            except errors.FatalClientError as error:
                # An unknown client or unregistered redirect URI: say so here, never redirect.
                page = respond_html_error(request, error=error)
                page.status_code = 400
                return page
            except Exception:  # noqa: BLE001, S110 - every other problem: allauth answers it
                pass
        if request.user.is_authenticated and "none" in prompts:
            refused = self._refuse_silent_without_consent(request, client_id)
            if refused is not None:
                return refused
        try:
            response = super().get(request, *args, **kwargs)
        except _AlreadyAgreed as agreed:
            return agreed.response
        if response.status_code == 200 and request.GET.get("redirect_uri"):
            # Shown only once the client and redirect URI checked out. Browsers apply
            # form-action to the redirect that follows the consent form.
            response._csp_update = {  # type: ignore[attr-defined]
                "form-action": [_origin(request.GET["redirect_uri"])]
            }
        return response

    def _refuse_silent_without_consent(
        self, request: HttpRequest, client_id: str
    ) -> HttpResponse | None:
        if ConsentGrant.objects.filter(user_id=request.user.pk or 0, client_id=client_id).exists():
            return None
        try:
            _scopes, info = get_server().validate_authorization_request(*extract_params(request))
        except Exception:  # noqa: BLE001 - let allauth answer an invalid request its way
            return None
        params = {"error": "consent_required"}
        if info.get("state"):
            params["state"] = info["state"]
        return _ClientHttpResponseRedirect(f"{info['redirect_uri']}?{urlencode(params)}")

    def _already_agreed(self) -> bool:
        request = self._request_info["request"]
        grant = ConsentGrant.objects.filter(
            user=self.request.user, client_id=request.client.pk
        ).first()
        return grant is not None and set(request.scopes) <= set(grant.scopes)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Reached only once the request checked out, just before the consent form is
        drawn: a resident who already agreed to every requested scope goes straight back."""
        if self.request.method == "GET" and self._already_agreed():
            raise _AlreadyAgreed(self._skip_consent())
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        location = response.get("Location", "")
        codes = (
            parse_qs(urlparse(location).query).get("code") if response.status_code == 302 else None
        )
        if codes:
            client = Client.objects.get(pk=self._request_info["client_id"])
            actions.remember_authorisation(
                actor=self.request.user,
                client=client,
                scopes=list(form.cleaned_data["scopes"]),
                records=get_authentication_records(self.request, self.request.user),
                code=codes[0],
            )
        return response


authorization = CityAuthorizationView.as_view()


# Residents ---------------------------------------------------------------------------------


@login_required
def connected_services(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if actions.revoke_client(actor=request.user, client_id=request.POST.get("client", "")):
            messages.success(request, _("Done. That service can no longer see your details."))
        return redirect("sso:connected")
    return render(
        request,
        "sso/connected.html",
        {
            "connections": queries.connections(request.user),
            "deliveries": queries.deliveries_for(request.user)[:50],
        },
    )


@login_required
def tell_us_once(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or ChangeKind.ADDRESS
    if kind not in ChangeKind.values:
        raise Http404
    services = list(queries.services_to_tell(request.user, kind))
    form = TellServicesForm(request.POST or None, services=services, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.tell_services(
                actor=request.user,
                kind=kind,
                data=form.change_data(request.user),
                service_ids=[int(pk) for pk in form.cleaned_data["services"]],
                creation_key=request.POST.get("creation_key") or None,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sent. You can follow each delivery below."))
            return redirect("sso:connected")
    import secrets

    return render(
        request,
        "sso/tell.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": ChangeKind(kind).label,
            "kinds": ChangeKind.choices,
            "services": services,
            "creation_key": secrets.token_hex(16),
        },
    )


class CityLogoutView(LogoutView):
    """allauth's RP-initiated logout; the confirmation form's redirect back to the service
    must be allowed by our Content-Security-Policy (form-action)."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        form = context.get("form")
        target = form.cleaned_data.get("post_logout_redirect_uri") if form is not None and hasattr(
            form, "cleaned_data") else None  # fmt: skip
        if target:
            response._csp_update = {"form-action": [_origin(target)]}  # type: ignore[attr-defined]
        return response


logout = CityLogoutView.as_view()
