"""A child's identifiers: NHS number, Unique Pupil Number, and the council's own child id.

Check digits are python-stdnum's (`stdnum.gb.nhs`: modulus 11; `stdnum.gb.upn`: the check letter
and the issuing authority's code), the maintained implementation rather than our own arithmetic.
Each is stored compact (no spaces or dashes), so one exact match finds it however it was typed.
"""

import re
from typing import Literal

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.gb import nhs, upn

# Why the UPN is not known: the codes of exemplars/codelists.yaml `upn_unknown`.
UpnUnknown = Literal["UN1", "UN2", "UN3", "UN4", "UN5", "UN6", "UN7"]
# Those the SSDA903 accepts too (its guide: UN1 to UN5); UN6 and UN7 are the census's alone.
UPN_UNKNOWN_903 = ("UN1", "UN2", "UN3", "UN4", "UN5")
# CIN census LAchildID: at most 20 letters and digits (DfE rules 1570 and 1580).
LOCAL_ID = re.compile(r"^[A-Za-z0-9]{1,20}$")
NHS_LIKE = re.compile(r"^\d{3}[\s-]*\d{3}[\s-]*\d{4}$")


def nhs_number(value: str) -> str:
    """The NHS number compact, or a ValueError in words a worker can act on."""
    try:
        return str(nhs.validate(value))
    except InvalidChecksum:
        raise ValueError("Enter a valid NHS number: the check digit does not match") from None
    except (InvalidFormat, InvalidLength):
        raise ValueError("Enter a valid NHS number: it has 10 digits, like 943 476 5919") from None


def spaced(number: str | None) -> str:
    """An NHS number as people read it (943 476 5919)."""
    return str(nhs.format(number)) if number else ""


def pupil_number(value: str, what: str = "UPN") -> str:
    """A Unique Pupil Number compact and in capitals, or a ValueError naming what is wrong."""
    try:
        return str(upn.validate(value.upper()))
    except InvalidChecksum:
        raise ValueError(f"Enter a valid {what}: the check letter does not match") from None
    except InvalidComponent:
        raise ValueError(
            f"Enter a valid {what}: characters 2 to 4 are not a council's code"
        ) from None
    except (InvalidFormat, InvalidLength):
        raise ValueError(
            f"Enter a valid {what}: a letter and 12 more letters or digits, like B873400114001"
        ) from None


def local_child_id(value: str) -> str:
    if not LOCAL_ID.match(value):
        raise ValueError("Enter the council's child id: up to 20 letters and digits, no spaces")
    return value


def looks_like_nhs_number(text: str) -> str | None:
    """What a search box holds, as a compact NHS number if it is shaped like one."""
    return re.sub(r"[\s-]", "", text) if NHS_LIKE.match(text.strip()) else None
