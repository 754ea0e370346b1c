"""How request data becomes input for the schemas."""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser


class StrictParser(Parser):
    """JSON bodies as ninja reads them; but a query parameter that takes one value and is
    given several (`?q=a&q=b`) reaches validation as a list and is refused with a 422,
    instead of the last value silently winning."""

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in data:
            values = data.getlist(key)
            result[key] = values if key in list_fields or len(values) > 1 else values[0]
        return result
