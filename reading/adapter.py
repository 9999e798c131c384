"""django-allauth's account adapter with the site's own wording of its messages.

allauth ships no Vietnamese catalogue; its messages are restated here as this project's
translatable strings (Vietnamese first), so a reader sees every error in their language.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class ReaderAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Tài khoản này đang bị khóa."),
        "email_password_mismatch": _("Thư điện tử hoặc mật khẩu không đúng. Xin kiểm tra lại."),
        "email_taken": _("Đã có tài khoản dùng thư điện tử này. Xin đăng nhập hoặc lấy lại mật khẩu."),
        "invalid_or_expired_key": _("Đường dẫn không hợp lệ hoặc đã hết hạn."),
        "invalid_password_reset": _("Đường dẫn đặt lại mật khẩu không hợp lệ hoặc đã được dùng."),
        "too_many_login_attempts": _("Đăng nhập sai quá nhiều lần. Xin thử lại sau ít phút."),
        "unknown_email": _("Không có tài khoản nào dùng thư điện tử này."),
        "unverified_primary_email": _("Thư điện tử của tài khoản chưa được xác minh."),
        "rate_limited": _("Yêu cầu được gửi quá nhanh. Xin đợi một lát rồi thử lại."),
        "enter_current_password": _("Xin nhập mật khẩu hiện tại."),
        "incorrect_password": _("Mật khẩu không đúng."),
    }

    def is_open_for_signup(self, request) -> bool:
        return True
