"""The assistant's pages: the resident's chat (a plain form; htmx only saves the reload) and the
staff console's hand-off queue, conversation and figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.assistant import actions, queries
from cityhall.assistant.forms import ArticleFromQuestionForm, ChatForm, ReplyForm
from cityhall.assistant.models import UnansweredQuestion
from cityhall.core.forms import apply_errors

SESSION_KEY = "assistant_conversation"


def _current(request: HttpRequest) -> Any:
    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    try:
        return queries.conversation_for_resident(public_id, request.user)
    except Http404:
        request.session.pop(SESSION_KEY, None)
        return None


def chat(request: HttpRequest) -> HttpResponse:
    conversation = _current(request)
    form = ChatForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "restart" in request.POST:
        request.session.pop(SESSION_KEY, None)
        return redirect("assistant:chat")
    if request.method == "POST" and form.is_valid():
        try:
            conversation, _turn = actions.send_message(
                actor=request.user,
                conversation_id=conversation.public_id if conversation else None,
                text=form.cleaned_data["text"],
                lang=request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "es") else None,
                client_key=form.cleaned_data["client_key"],
                photos=[form.cleaned_data["photo"]] if form.cleaned_data.get("photo") else None,
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[SESSION_KEY] = str(conversation.public_id)
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect(f"{request.path}#latest")
            form = ChatForm()
    context = {
        "conversation": conversation,
        "turns": list(queries.transcript(conversation)) if conversation else [],
        "form": form if request.method == "POST" else ChatForm(),
        "in_widget": request.method == "POST" and request.POST.get("widget") == "1",
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "assistant/_chat_body.html", context)
    return render(request, "assistant/chat.html", context)


def transcript(request: HttpRequest) -> HttpResponse:
    """The conversation so far (htmx polls this while a person is on the way)."""
    conversation = _current(request)
    return render(
        request,
        "assistant/_transcript.html",
        {
            "conversation": conversation,
            "turns": list(queries.transcript(conversation)) if conversation else [],
        },
    )


# --- Staff -----------------------------------------------------------------------------------


def _require_agent(request: HttpRequest) -> None:
    if not queries.can_answer_residents(request.user):
        raise Http404


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    _require_agent(request)
    return render(
        request,
        "assistant/staff_queue.html",
        {
            "conversations": list(queries.handoff_queue()[:200]),
            "reads_figures": queries.can_read_insights(request.user),
        },
    )


@login_required
def staff_conversation(request: HttpRequest, public_id: str) -> HttpResponse:
    conversation = queries.conversation_for_staff(public_id, request.user)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if "close_only" in request.POST:
                actions.close_conversation(actor=request.user, conversation=conversation)
                messages.success(request, _("Conversation closed."))
                return redirect("assistant:staff_queue")
            actions.agent_reply(
                actor=request.user,
                conversation=conversation,
                text=form.cleaned_data["text"],
                close=form.cleaned_data["close"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Reply sent."))
            return redirect("assistant:staff_conversation", public_id=conversation.public_id)
    if request.method == "GET":
        actions.open_for_staff(actor=request.user, conversation=conversation)
    return render(
        request,
        "assistant/staff_conversation.html",
        {
            "conversation": conversation,
            "turns": list(queries.transcript(conversation)),
            "form": form,
        },
    )


@login_required
def staff_insights(request: HttpRequest) -> HttpResponse:
    if not queries.can_read_insights(request.user):
        raise Http404
    summary = queries.deflection_summary(days=30)
    questions = list(queries.top_unanswered())
    return render(
        request,
        "assistant/staff_insights.html",
        {"summary": summary, "questions": questions, "form": ArticleFromQuestionForm()},
    )


@login_required
@require_POST
def staff_question(request: HttpRequest, question_id: int) -> HttpResponse:
    if not queries.can_read_insights(request.user):
        raise Http404
    question = get_object_or_404(UnansweredQuestion, pk=question_id)
    if "dismiss" in request.POST:
        actions.dismiss_question(actor=request.user, question=question)
        messages.success(request, _("Question dismissed."))
        return redirect("assistant:staff_insights")
    form = ArticleFromQuestionForm(request.POST)
    if form.is_valid():
        try:
            article = actions.draft_article_from_question(
                actor=request.user, question=question, **form.cleaned_data
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Article started. Write its answer, then send it for review.")
            )
            return redirect("catalog_staff:edit", kind="article", object_id=article.pk)
    summary = queries.deflection_summary(days=30)
    return render(
        request,
        "assistant/staff_insights.html",
        {
            "summary": summary,
            "questions": list(queries.top_unanswered()),
            "form": form,
            "failed_question": question.pk,
        },
        status=400,
    )
