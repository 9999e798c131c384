"""The Vietnamese codes items stored before their choices got English codes, and those codes.

The database holds only the English codes (migration 0013_english_codes converted the rows); what
was written before still arrives from outside: a CSV exported then, a bookmarked address of the
public list (``?document_type=nghi-quyet``), a backup. Each reader maps through ``current_code``.
"""

# Item field -> {former stored code: stored code now}
FORMER_CODES: dict[str, dict[str, str]] = {
    "confidentiality": {"mat": "confidential", "toi_mat": "secret", "tuyet_mat": "top_secret"},
    "urgency": {"khan": "urgent", "thuong_khan": "very_urgent", "hoa_toc": "flash"},
    "signing_authority": {
        "TM": "on_behalf",
        "KT": "deputy",
        "TL": "by_order",
        "TUQ": "authorised",
        "Q": "acting",
    },
    "document_type": {
        "nghi-quyet": "resolution",
        "quyet-dinh": "decision",
        "quy-dinh": "regulation",
        "chi-thi": "directive",
        "ket-luan": "conclusion",
        "quy-che": "rules",
        "huong-dan": "guidance",
        "ke-hoach": "plan",
        "chuong-trinh": "programme",
        "bao-cao": "report",
        "thong-bao": "notice",
        "to-trinh": "submission",
        "cong-van": "official_letter",
        "thong-tu": "circular",
        "nghi-dinh": "decree",
        "bien-ban": "minutes",
        "de-an": "scheme",
        "danh-sach": "list",
        "thong-cao": "communique",
        "hop-dong": "contract",
        "giay-moi": "invitation",
        "giay-gioi-thieu": "introduction_letter",
        "thong-tri": "party_circular",
        "van-kien-dai-hoi": "congress_document",
        "thu": "letter",
        "dien-van": "speech",
        "tai-lieu-khac": "other_document",
    },
}


def current_code(field_name: str, value: str) -> str:
    """The code stored now for ``value`` of the item field: a former code mapped, any other unchanged."""
    return FORMER_CODES.get(field_name, {}).get(value, value)
