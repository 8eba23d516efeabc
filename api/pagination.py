from rest_framework.pagination import CursorPagination


class Pagination(CursorPagination):
    """Cursor pages in id order: stable while records are added, and cheap at any depth."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
