"""``/csat/{token}``: the page a customer rates a done ticket on, no sign-in, in English or Arabic.

Server-rendered and small on purpose: the customer opens it from an email, on
any device, without the web app. The token (``support.csat``) names the tenant
and the ticket; the page's session is scoped to that tenant only. A bad or
forged token answers 404, a second rating is refused politely (409, the page
says it was already rated).
"""

from __future__ import annotations

from html import escape
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.support import csat
from bo_saas.support.models import COMMENT, Ticket

TEXT = {
    "en": {
        "title": "How did we do?",
        "intro": "Your request {reference}: “{subject}”. Rate our answer from 1 (poor) to 5 (excellent).",
        "comment": "Anything to add? (optional)",
        "send": "Send",
        "thanks": "Thank you! Your rating has been recorded.",
        "already": "This request has been rated already. Thank you!",
        "missing": "This link is not valid.",
        "choose": "Choose a rating from 1 to 5.",
    },
    "ar": {
        "title": "كيف كانت خدمتنا؟",
        "intro": "طلبك {reference}: «{subject}». قيّم ردّنا من ١ (ضعيف) إلى ٥ (ممتاز).",
        "comment": "هل تود إضافة شيء؟ (اختياري)",
        "send": "إرسال",
        "thanks": "شكراً لك! تم تسجيل تقييمك.",
        "already": "تم تقييم هذا الطلب من قبل. شكراً لك!",
        "missing": "هذا الرابط غير صالح.",
        "choose": "اختر تقييماً من ١ إلى ٥.",
    },
}


class CsatForm(msgspec.Struct):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    comment: Annotated[str, msgspec.Meta(max_length=COMMENT)] = ""


def _language(request: Request, lang: str | None) -> str:
    if lang in TEXT:
        return lang
    accepted = request.headers.get("accept-language", "").lower()
    return "ar" if accepted.split(",")[0].strip().startswith("ar") else "en"


def _page(language: str, body: str, status_code: int = 200) -> Response[str]:
    words = TEXT[language]
    direction = "rtl" if language == "ar" else "ltr"
    html = (
        f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(words['title'])}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
        "fieldset{border:0;padding:0;display:flex;gap:.5rem}label{cursor:pointer}textarea{width:100%;min-height:6rem}"
        "button{margin-top:1rem;padding:.5rem 1.5rem}</style></head>"
        f"<body><h1>{escape(words['title'])}</h1>{body}</body></html>"
    )
    return Response(html, media_type=MediaType.HTML, status_code=status_code)


def _form(language: str, token: str, ticket: Ticket) -> str:
    words = TEXT[language]
    choices = "".join(
        f'<label><input type="radio" name="rating" value="{n}" required> {n}</label>' for n in range(1, 6)
    )
    intro = words["intro"].format(reference=escape(ticket.reference), subject=escape(ticket.subject))
    return (
        f"<p>{intro}</p>"
        f'<form method="post" action="/csat/{escape(token)}?lang={language}">'
        f'<fieldset aria-label="rating">{choices}</fieldset>'
        f'<p><label for="comment">{escape(words["comment"])}</label><br>'
        f'<textarea id="comment" name="comment" maxlength="{COMMENT}"></textarea></p>'
        f'<button type="submit">{escape(words["send"])}</button></form>'
    )


async def _ticket(request: Request, db: AsyncSession, token: str) -> Ticket | None:
    found = csat.read_token(request.app.state.settings, token)
    if found is None:
        return None
    tenant_id, ticket_id = found
    set_scope(db, TenantScope.of(tenant_id))  # the token's tenant, and only it, for this request
    return (await db.execute(select(Ticket).where(Ticket.tenant_id == tenant_id, Ticket.id == ticket_id))).scalar()


class CsatPageController(Controller):
    path = "/csat"
    tags = ["support"]
    opt = {"anonymous": True}

    @get("/{token:str}", summary="The customer's rating page (no sign-in)", media_type=MediaType.HTML)
    async def show(
        self,
        request: Request,
        db: AsyncSession,
        token: str,
        lang: Annotated[str | None, QueryParameter(description="en or ar", max_length=2)] = None,
    ) -> Response[str]:
        language = _language(request, lang)
        ticket = await _ticket(request, db, token)
        if ticket is None:
            return _page(language, f"<p>{escape(TEXT[language]['missing'])}</p>", 404)
        if await csat.rated(db, ticket.tenant_id, ticket.id) is not None:
            return _page(language, f"<p>{escape(TEXT[language]['already'])}</p>")
        return _page(language, _form(language, token, ticket))

    @post("/{token:str}", summary="Rate a done ticket, once (no sign-in)", media_type=MediaType.HTML)
    async def rate(
        self,
        request: Request,
        db: AsyncSession,
        token: str,
        data: Annotated[CsatForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        lang: Annotated[str | None, QueryParameter(description="en or ar", max_length=2)] = None,
    ) -> Response[str]:
        language = _language(request, lang)
        ticket = await _ticket(request, db, token)
        if ticket is None:
            return _page(language, f"<p>{escape(TEXT[language]['missing'])}</p>", 404)
        if not await csat.rate(db, ticket, data.rating, data.comment):
            return _page(language, f"<p>{escape(TEXT[language]['already'])}</p>", 409)
        return _page(language, f"<p>{escape(TEXT[language]['thanks'])}</p>", 201)
