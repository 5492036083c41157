"""`XborderError`: every error xborder raises."""

from __future__ import annotations

from typing import Any, Optional, Tuple


class XborderError(Exception):
    """A declaration, document or argument xborder refused, or (code ``E_INTERNAL``) a bug.

    ``code`` is a stable code from the result contract (``E_INVALID_AMOUNT``,
    ``E_HS_NO_TARIFF_LINE``, …), ``path`` the field it is about (``items[0].value``) or
    ``None``, ``id`` the declaration's id when it could be read, and ``record`` the error
    line ``xborder assess`` writes for a rejected declaration (``{"id":…,"error":{…}}``), byte
    for byte, or ``None`` when the error is not about one declaration.
    """

    code: str
    message: str
    path: Optional[str]
    id: Optional[str]
    record: Optional[str]

    def __init__(
        self,
        message: str,
        code: str,
        path: Optional[str] = None,
        id: Optional[str] = None,  # noqa: A002 - the result contract's field name
        record: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.id = id
        self.record = record

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"{self.code}{where}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"XborderError(code={self.code!r}, path={self.path!r}, id={self.id!r}, "
            f"message={self.message!r})"
        )

    def __reduce__(self) -> Tuple[Any, ...]:
        # Picklable with every field, so that it survives a trip between Spark workers.
        return (type(self), (self.message, self.code, self.path, self.id, self.record))
