"""How a city is named in charts, tables and pages: once, with its state.

"Boston, MA"; but "Washington, D.C." already names its state (DC), so it is not written
"Washington, D.C., DC".
"""


def city_label(name: str, state: str) -> str:
    last = name.rsplit(",", 1)[-1] if "," in name else ""
    if last and last.replace(".", "").strip().upper() == state.upper():
        return name
    return f"{name}, {state}"


def count_of(number: int, singular: str, plural: str) -> str:
    """ "1 city", "3 cities": a count with its noun in the right number."""
    return f"{number} {singular if number == 1 else plural}"
