"""The organisation's Ed25519 signing key: from config, else generated once into the instance folder.

`LEDGER_SIGNING_KEY` (PEM text, e.g. from a secret store) wins; otherwise `LEDGER_SIGNING_KEY_FILE`
(default `<instance>/ledger-signing-key.pem`) is read, and created with mode 0600 the first time a
seal is made. Only the sealing process needs the private key; auditors need `public_key_pem()`.
`LEDGER_PUBLIC_KEY_FILE` lets a verifying install check seals without holding the private key.
"""

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app


class KeyMissing(Exception):
    """No key to verify with: neither a signing key nor LEDGER_PUBLIC_KEY_FILE is configured."""


def _key_file() -> Path:
    configured = current_app.config.get("LEDGER_SIGNING_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "ledger-signing-key.pem"


def _generate(path: Path) -> None:
    """Write a new key; O_EXCL so that two processes starting together keep one key, not two."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)


def signing_key(*, create: bool = True) -> Ed25519PrivateKey | None:
    pem = current_app.config.get("LEDGER_SIGNING_KEY")
    if not pem:
        path = _key_file()
        if not path.exists():
            if not create:
                return None
            _generate(path)
        pem = path.read_bytes()
    key = serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("LEDGER_SIGNING_KEY must be an Ed25519 private key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the ledger public key must be an Ed25519 key")
    return key


def public_key() -> Ed25519PublicKey:
    """The key seals are checked with: LEDGER_PUBLIC_KEY_FILE, else the signing key's public half."""
    configured = current_app.config.get("LEDGER_PUBLIC_KEY_FILE")
    if configured:
        return load_public_key(Path(configured).read_bytes())
    key = signing_key(create=False)
    if key is None:
        raise KeyMissing("no ledger key: set LEDGER_PUBLIC_KEY_FILE or LEDGER_SIGNING_KEY(_FILE)")
    return key.public_key()


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of SHA-256 over the raw public key: names the key in every seal."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def verifies(key: Ed25519PublicKey, signature_hex: str, message: bytes) -> bool:
    try:
        key.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True
