from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class IngestError:
    """One problem with one item of a batch: which item, which field, and why."""

    index: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class BatchRejected(Exception):
    """A batch with any invalid item: nothing was written."""

    def __init__(self, errors: list[IngestError]):
        super().__init__(f"{len(errors)} error(s) in the batch; nothing was written")
        self.errors = errors
