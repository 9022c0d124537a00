"""Files of a case on its page: the upload form (size from policy, type from the whitelist) and the
audited download (SEC-5), only for readers of the case."""

from django.http import FileResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.cases.actions import attachments as actions_attachments
from kefu.cases.queries import intake as queries
from kefu.cases.views.intake import post_form
from kefu.core import sealed
from kefu.core.errors import Invalid
from kefu.web.support import actor, web_view


@require_POST
@web_view
def attach(request, pk: int):
    upload = request.FILES.get("file")

    def run(me, case):
        if upload is None:
            raise Invalid("case_attachment_missing", "请选择文件", "Choose a file", {"file": "required"})
        return actions_attachments.attach(me, case, upload)

    return post_form(request, pk, run, success=_("File attached."), form_name="attach", form={})


@web_view
def download(request, pk: int, attachment: int):
    """The file, audited (SEC-5); only for readers of the case."""
    me = actor(request)
    case = queries.case(me, pk)
    item = queries.attachment(case, attachment)
    actions_attachments.downloaded(me, item)
    # a recording plays in the page's <audio> element (QA-1); every other file downloads
    inline = item.content_type.startswith("audio/")
    response = FileResponse(sealed.open_stored(item.file), as_attachment=not inline, filename=item.name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("cases/<int:pk>/attachments/", attach, name="attach"),
    path("cases/<int:pk>/attachments/<int:attachment>/", download, name="attachment"),
]
