"""Error pages: JSON envelope under /api/, a friendly page elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render

from kefu.core.http_support import envelope

_TEXT = {
    400: ("bad_request", "请求无效", "Bad request"),
    403: ("forbidden", "您没有访问此页面的权限", "You are not allowed to see this page"),
    404: ("not_found", "页面不存在或无权查看", "Page not found"),
    500: ("internal_error", "服务器内部错误，已记录，请稍后再试", "Internal error; it has been logged"),
}


def _respond(request, status: int):
    code, zh, en = _TEXT[status]
    if request.path.startswith("/api/"):
        return JsonResponse(envelope(code, zh, en), status=status, json_dumps_params={"ensure_ascii": False})
    return render(
        request, "web/error.html", {"status": status, "message_zh": zh, "message_en": en}, status=status
    )


def bad_request(request, exception=None):
    return _respond(request, 400)


def forbidden(request, exception=None):
    return _respond(request, 403)


def not_found(request, exception=None):
    return _respond(request, 404)


def server_error(request):
    return _respond(request, 500)
