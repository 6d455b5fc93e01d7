"""Checkpoints: a seal as the signed head an auditor publishes (JSON), and reading one back.

A checkpoint states the seal number, how many movements it covers, the chain head and the signature,
with the public key that checks it. Kept by an auditor (or printed on the public site daily), it lets
`flask ledger verify --checkpoint` prove later that history up to it was not rewritten, even by
someone holding the signing key.
"""

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from . import chain, keys


class BadCheckpoint(ValueError):
    """The text is not a checkpoint this log wrote."""


@dataclass(frozen=True)
class Checkpoint:
    seal: int
    tree_size: int
    last_movement_id: int
    previous_head: str
    head: str
    sealed_at: datetime
    key_id: str
    signature: str
    public_key: str = ""
    version: int = 1  # the chain version of the seal (written as "v")

    @classmethod
    def of(cls, seal, public_key=None) -> "Checkpoint":
        return cls(
            seal=seal.id,
            tree_size=seal.tree_size,
            last_movement_id=seal.last_movement_id,
            previous_head=seal.previous_head,
            head=seal.head,
            sealed_at=seal.sealed_at,
            key_id=seal.key_id,
            signature=seal.signature,
            public_key=keys.public_key_pem(public_key) if public_key is not None else "",
            version=seal.version,
        )

    def message(self) -> bytes:
        return chain.seal_message(
            number=self.seal,
            tree_size=self.tree_size,
            last_movement_id=self.last_movement_id,
            previous_head=self.previous_head,
            head=self.head,
            sealed_at=self.sealed_at,
            key_id=self.key_id,
            version=self.version,
        )

    def verifies(self, public_key) -> bool:
        return self.key_id == keys.key_id(public_key) and keys.verifies(
            public_key, self.signature, self.message()
        )

    def to_json(self) -> str:
        fields = asdict(self)
        fields["sealed_at"] = chain._plain(self.sealed_at)
        fields["v"] = fields.pop("version")
        return json.dumps(fields, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Checkpoint":
        try:
            fields = json.loads(text)
            fields["version"] = int(fields.pop("v", 1))
            fields["sealed_at"] = datetime.fromisoformat(fields["sealed_at"].replace("Z", "+00:00"))
            checkpoint = cls(**fields)
            int(checkpoint.tree_size), bytes.fromhex(checkpoint.head), bytes.fromhex(checkpoint.signature)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise BadCheckpoint(f"not a ledger checkpoint: {error}") from error
        return checkpoint
