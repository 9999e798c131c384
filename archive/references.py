"""Short references that people read aloud over the phone: `TQ-7K3M9`, `DG-4HX2PQ`."""

import secrets

# Crockford-like alphabet without 0/O, 1/I/L and U, so a reference read aloud is unambiguous.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def readable_reference(prefix: str, length: int) -> str:
    """A random reference such as `TQ-7K3M9`: the prefix, a dash and `length` unambiguous characters."""
    return f"{prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
