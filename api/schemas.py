from ninja import Schema


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[ErrorItem] | None = None
