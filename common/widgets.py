"""Form widgets for the public pages' filter forms."""

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe


def _text(value) -> str:
    # The templates' stringformat:'s', then escaped.
    return escape(f"{value}")


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its
    # name alone, anything else name="value" (as the template's stringformat:'s' reads it).
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """``forms.Select`` written in Python, to the same markup as Django's templates (a test
    holds them equal): the templates include two more per option, and the dashboard's
    filters offer about eighty options, several milliseconds of every uncached page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{escape(group_name)}">')
            # Each option's template ends in a newline, hence the blank line after it.
            html.extend(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # every value in it went through escape
